import { partitionId, type PartitionKey } from '@posflow/contracts';
import { fileNameOf, parseExportFileName, type ExportFileName } from './export-file-name.js';

export interface ListedFile extends ExportFileName {
  /** As listed (may carry a directory part); the download path. */
  path: string;
}

export interface ListedProblem {
  kind: 'unrecognised-file';
  /** Monitor key: the file name. */
  name: string;
  detail: string;
}

/**
 * Splits a listing into the files of this partition and the entries an
 * operator should see (never silently dropped): names that do not follow the
 * export pattern, and names of another partition. Empty entries are skipped;
 * a path listed twice is downloaded once.
 */
export function selectListedFiles(
  key: PartitionKey,
  paths: readonly string[],
): { files: ListedFile[]; problems: ListedProblem[] } {
  const files: ListedFile[] = [];
  const problems: ListedProblem[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const name = fileNameOf(path);
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    const parsed = parseExportFileName(name);
    if (!parsed) {
      problems.push({
        kind: 'unrecognised-file',
        name,
        detail: `listed file "${path}" does not follow <prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv`,
      });
    } else if (parsed.branch !== key.branch || parsed.pos !== key.pos || parsed.date !== key.date) {
      problems.push({
        kind: 'unrecognised-file',
        name,
        detail: `listed for ${partitionId(key)} but named for ${partitionId(parsed)}`,
      });
    } else {
      files.push({ ...parsed, path });
    }
  }
  return { files, problems };
}
