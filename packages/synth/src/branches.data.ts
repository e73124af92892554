/**
 * Made-up branch codes shaped like the real ones (upper-case letters, digits,
 * dashes; `-FRN` franchises, `B-` and `SM` mall prefixes), with the names the
 * analysts' conversion_branch.csv maps them to.
 */
export interface BranchInfo {
  readonly code: string;
  readonly name: string;
}

export const BRANCH_POOL: readonly BranchInfo[] = [
  { code: 'TBCO', name: 'TABACO' },
  { code: 'LGZ-CTY', name: 'LEGAZPI CITY' },
  { code: 'LIGAO', name: 'LIGAO' },
  { code: 'PLNG', name: 'POLANGUI' },
  { code: 'GUBAT', name: 'GUBAT' },
  { code: 'BULAN', name: 'BULAN' },
  { code: 'SMSRS-FRN', name: 'SM SORSOGON CITY' },
  { code: 'NAGA-CTR', name: 'NAGA CENTRO' },
  { code: 'PILI2', name: 'PILI HIGHWAY' },
  { code: 'B-CAL', name: 'CALABANGA' },
  { code: 'B-LIB', name: 'LIBMANAN' },
  { code: 'MILAOR', name: 'MILAOR' },
  { code: 'BATO', name: 'BATO' },
  { code: 'VIRAC', name: 'VIRAC CATANDUANES' },
  { code: 'MSBT-PORT', name: 'MASBATE PORT' },
  { code: 'DAETC', name: 'DAET CENTRO' },
  { code: 'LABO', name: 'LABO' },
  { code: 'SMDAET', name: 'SM DAET' },
  { code: 'RBLGZ-FRN', name: 'ROBINSONS LEGAZPI' },
  { code: 'ALB-MALL', name: 'ALBAY MALL' },
  { code: 'GOA2', name: 'GOA PLAZA' },
  { code: 'TIGAON', name: 'TIGAON' },
  { code: 'BAAO', name: 'BAAO' },
  { code: 'NABUA', name: 'NABUA' },
  { code: 'BUHI', name: 'BUHI' },
  { code: 'OAS', name: 'OAS' },
  { code: 'GUINOB', name: 'GUINOBATAN' },
  { code: 'CAMLG2', name: 'CAMALIG HIGHWAY' },
  { code: 'STO-DOM', name: 'SANTO DOMINGO' },
  { code: 'BACACAY', name: 'BACACAY' },
  { code: 'SMLPA-FRN', name: 'SM LIPA' },
  { code: 'SMCAL', name: 'SM CALAMBA' },
  { code: 'BTNGS', name: 'BATANGAS CITY' },
  { code: 'LUCENA', name: 'LUCENA' },
  { code: 'GMA-FRN', name: 'GUMACA' },
  { code: 'NAIA3', name: 'NAIA TERMINAL 3' },
  { code: 'QCAVE', name: 'QUEZON AVENUE' },
  { code: 'MKTI-FRN', name: 'MAKATI' },
  { code: 'PSIG', name: 'PASIG' },
  { code: 'B-IRO', name: 'IRIGA ROTONDA' },
];

/** The first `n` codes of the pool (n ≤ pool size). */
export function defaultBranches(n = 30): string[] {
  if (n > BRANCH_POOL.length) throw new Error(`at most ${BRANCH_POOL.length} made-up branches`);
  return BRANCH_POOL.slice(0, n).map((b) => b.code);
}

/** Every 7th branch runs the newer POS build, like BETA/BPAG among the real ~30. */
export function defaultNewFormatBranches(branches: readonly string[]): string[] {
  return branches.filter((_, i) => i % 7 === 3);
}

export function branchName(code: string): string {
  return BRANCH_POOL.find((b) => b.code === code)?.name ?? code;
}
