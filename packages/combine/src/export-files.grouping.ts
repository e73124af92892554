import {
  parseExportFileName as parseContractName,
  partitionId,
  type ExportFileName,
  type FileType,
  type PartitionKey,
} from '@posflow/contracts';

export { chooseExportFile, chooseExportFiles, type FileCandidate } from './export-file.chooser.js';

/** A POS export's name split into its parts (the rule itself lives in @posflow/contracts). */
export interface ExportFileNameParts extends ExportFileName {
  /** Whatever precedes the branch (`a` in `a_BMC_1_rd5000_2026-02-09_20-00_.csv`). */
  prefix: string;
}

/**
 * `<prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv` → its parts, or null
 * when the name does not follow the pattern (fewer than 5 parts, an unknown
 * type, a bad branch, pos or date). A directory part is ignored.
 */
export function parseExportFileName(name: string): ExportFileNameParts | null {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const parsed = parseContractName(base);
  if (parsed === null) return null;
  return { ...parsed, prefix: base.slice(0, base.indexOf('_')) };
}

export interface ExportGroup {
  key: PartitionKey;
  /** `BMC_1_2026-02-09`: also the output file's base name. */
  id: string;
  /** Every file of each type, re-sends included, in name order. */
  files: Partial<Record<FileType, ExportFileNameParts[]>>;
}

/**
 * Groups a folder's file names by (branch, pos, date), groups sorted by id.
 * Names that do not follow the pattern come back in `unrecognised` for the
 * caller to report: never silently ignored.
 */
export function groupExportFiles(names: readonly string[]): {
  groups: ExportGroup[];
  unrecognised: string[];
} {
  const groups = new Map<string, ExportGroup>();
  const unrecognised: string[] = [];
  for (const name of [...names].sort()) {
    const parsed = parseExportFileName(name);
    if (parsed === null) {
      unrecognised.push(name);
      continue;
    }
    const key: PartitionKey = { branch: parsed.branch, pos: parsed.pos, date: parsed.date };
    const id = partitionId(key);
    let group = groups.get(id);
    if (group === undefined) groups.set(id, (group = { key, id, files: {} }));
    (group.files[parsed.type] ??= []).push(parsed);
  }
  const sorted = [...groups.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { groups: sorted, unrecognised };
}
