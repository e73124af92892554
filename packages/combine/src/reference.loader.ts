import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  REFERENCE_FILES,
  referenceFromText,
  type ReferenceData,
  type ReferenceTable,
} from './reference-data.js';

/**
 * Reads the reference folder (newBranches.txt, conversion*.csv, optional
 * modifiers.txt). A missing file gives an empty table and is listed in
 * `missingFiles`; it never fails the load. Any other read error (permissions,
 * a directory in the file's place) is thrown: silently combining without the
 * operator's tables would produce wrong data that looks right.
 */
export async function loadReference(dir: string): Promise<ReferenceData> {
  const tables = Object.keys(REFERENCE_FILES) as ReferenceTable[];
  const texts: Partial<Record<ReferenceTable, string>> = {};
  await Promise.all(
    tables.map(async (table) => {
      const text = await readIfPresent(join(dir, REFERENCE_FILES[table]));
      if (text !== undefined) texts[table] = text;
    }),
  );
  return referenceFromText(texts);
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
