import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BranchCode } from '@posflow/contracts';

/** Branch codes from `REFERENCE_DIR/branches.txt` (one per line; blank lines ignored). Read once at start. */
export async function loadBranches(referenceDir: string): Promise<string[]> {
  const text = await readFile(join(referenceDir, 'branches.txt'), 'utf8');
  const codes = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  for (const c of codes) BranchCode.parse(c);
  return [...new Set(codes)];
}

/** The legacy CSV's header line (`aaa_headers.csv`, no trailing newline kept). */
export async function loadLegacyHeader(referenceDir: string): Promise<string> {
  const text = await readFile(join(referenceDir, 'aaa_headers.csv'), 'utf8');
  return text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
}
