import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BRANCH_POOL, branchName, defaultBranches, defaultNewFormatBranches } from './branches.data.js';
import { DEPARTMENTS, NON_ASCII_PRODUCTS, PRODUCTS, QUOTED_PRODUCTS } from './catalogue.data.js';
import { csvRow } from './csv-format.js';
import { LEGACY_OUTPUT_HEADER } from './headers.js';

export interface ReferenceOptions {
  readonly branches?: readonly string[];
  readonly newBranches?: readonly string[];
}

export interface ReferenceFiles {
  readonly [name: string]: string;
}

const SIZE_WORDS = /\s+(SOLO|REGULAR|LARGE|SLICE|\d+PCS?)$/;

/**
 * The reference folder a demo needs without ../shared: branch lists, the
 * legacy header and the analysts' clean-up tables, all consistent with the
 * generator's catalogue. Files without a final newline where the real ones
 * have none (branches.txt, aaa_headers.csv).
 */
export function buildReference(opts: ReferenceOptions = {}): ReferenceFiles {
  const branches = opts.branches ?? defaultBranches();
  const newBranches = opts.newBranches ?? defaultNewFormatBranches(branches);
  const products = [...PRODUCTS, ...QUOTED_PRODUCTS, ...NON_ASCII_PRODUCTS];
  const conversion: string[] = [];
  const combined: string[] = [];
  const category: string[] = [];
  for (const p of products) {
    const clean = p.name.replaceAll('\u00a0', ' ').trim();
    conversion.push(csvRow([p.name.toUpperCase(), clean]));
    // The POS names drift: take-out prefixes and trailing spaces the analysts fold back.
    conversion.push(csvRow([`TS ${p.name.toUpperCase()}`, clean]));
    conversion.push(csvRow([`${p.name.toUpperCase()} `, clean]));
    combined.push(csvRow([clean, clean.replace(SIZE_WORDS, '')]));
    const dept = DEPARTMENTS.find((d) => d.code === p.dept);
    category.push(csvRow([clean, p.modifier === true ? 'Secondary Button' : (dept?.category ?? 'Others')]));
  }
  const dept: string[] = [];
  for (const d of DEPARTMENTS) {
    dept.push(csvRow([d.name, d.name]), csvRow([`${d.name} 2`, d.name]));
  }
  const branchNames = [...new Set([...branches, ...BRANCH_POOL.map((b) => b.code)])].map((b) => csvRow([b, branchName(b)]));
  return {
    'branches.txt': branches.join('\n'),
    'newBranches.txt': newBranches.join('\n'),
    'aaa_headers.csv': LEGACY_OUTPUT_HEADER,
    'conversion.csv': `${conversion.join('\n')}\n`,
    'conversion_combined.csv': `${combined.join('\n')}\n`,
    'conversion_category.csv': `${category.join('\n')}\n`,
    'conversion_dept.csv': dept.join('\n'),
    'conversion_branch.csv': branchNames.join('\n'),
  };
}

export async function writeReference(dir: string, opts: ReferenceOptions = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = buildReference(opts);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content, 'utf8');
  return Object.keys(files);
}
