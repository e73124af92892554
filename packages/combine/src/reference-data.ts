import { parseCsvLine } from './csv-line.parser.js';

/**
 * Operator-maintained reference data (spec/reporting.md "Clean-up tables"),
 * loaded at run time, never compiled in. Table keys are normalised with
 * `cleanKey`.
 */
export interface ReferenceData {
  /** newBranches.txt: branches on the newer export format (department code from rd5500 column 12). */
  newBranches: ReadonlySet<string>;
  /** conversion.csv: product name → clean product name. */
  productClean: ReadonlyMap<string, string>;
  /** conversion_combined.csv: clean product name → combined product. */
  productCombined: ReadonlyMap<string, string>;
  /** conversion_category.csv: clean product name → marketing category. */
  category: ReadonlyMap<string, string>;
  /** conversion_dept.csv: department name → clean department name. */
  departmentClean: ReadonlyMap<string, string>;
  /** conversion_branch.csv: branch code → branch name. */
  branchName: ReadonlyMap<string, string>;
  /** modifiers.txt (optional): product names that are cooking instructions, not products. */
  modifiers: ReadonlySet<string>;
  /** Reference files that were absent (their tables are empty), for the caller to log. */
  missingFiles: readonly string[];
}

export const REFERENCE_FILES = {
  newBranches: 'newBranches.txt',
  productClean: 'conversion.csv',
  productCombined: 'conversion_combined.csv',
  category: 'conversion_category.csv',
  departmentClean: 'conversion_dept.csv',
  branchName: 'conversion_branch.csv',
  modifiers: 'modifiers.txt',
} as const;
export type ReferenceTable = keyof typeof REFERENCE_FILES;

/** The clean name a product maps to when it is a modifier/cooking instruction, not a product. */
export const MODIFIER_CLEAN_NAME = 'NA';

/**
 * How raw values meet table keys: trimmed (JS trim also removes a stray BOM,
 * tabs and no-break spaces: the tables have ` PRIDE BURGER` and `HOT CHOCO<TAB>`,
 * rd5500 has `TB TUNA SALP<NBSP>`) and upper-cased. Inner spaces are kept:
 * `12 OZ  HOT WHITE MOCHA` is its own key.
 */
export function cleanKey(raw: string): string {
  return raw.trim().toUpperCase();
}

/** The table's value for `raw`, or `raw` itself when unmatched (pass-through). */
export function cleanValue(table: ReadonlyMap<string, string>, raw: string): string {
  return table.get(cleanKey(raw)) ?? raw;
}

/**
 * Reference data from file contents (absent entries → empty tables). Two-column
 * tables: column 0 → column 1, both trimmed, first row wins on a repeated key
 * (as for the POS lookups), rows with fewer than two fields or an empty key are
 * skipped. List files: one entry per line, trimmed, blank lines and `#`
 * comments skipped.
 */
export function referenceFromText(texts: Partial<Record<ReferenceTable, string>>): ReferenceData {
  const missingFiles = (Object.keys(REFERENCE_FILES) as ReferenceTable[])
    .filter((t) => texts[t] === undefined)
    .map((t) => REFERENCE_FILES[t]);
  return {
    newBranches: new Set(listEntries(texts.newBranches).map((b) => b.trim())),
    productClean: pairTable(texts.productClean),
    productCombined: pairTable(texts.productCombined),
    category: pairTable(texts.category),
    departmentClean: pairTable(texts.departmentClean),
    branchName: pairTable(texts.branchName),
    modifiers: new Set(listEntries(texts.modifiers).map(cleanKey)),
    missingFiles,
  };
}

export function emptyReference(): ReferenceData {
  return referenceFromText({});
}

function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

function listEntries(text: string | undefined): string[] {
  if (text === undefined) return [];
  return lines(text)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function pairTable(text: string | undefined): Map<string, string> {
  const table = new Map<string, string>();
  if (text === undefined) return table;
  for (const line of lines(text)) {
    const [raw, clean] = parseCsvLine(line).fields;
    if (raw === undefined || clean === undefined) continue;
    const key = cleanKey(raw);
    if (key !== '' && !table.has(key)) table.set(key, clean.trim());
  }
  return table;
}
