import {
  parseExportFileName as parseContractName,
  partitionId,
  type ExportFileName,
  type FileType,
  type PartitionKey,
} from '@posflow/contracts';

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

export interface FileCandidate {
  name: string;
  /** Data rows (lines after the header). */
  dataRows: number;
  /** `HH-MM` from the name, '' when it has none. */
  sendTime: string;
}

/**
 * The file to use among re-sent duplicates of one type: the most data rows,
 * ties to the later `HH-MM` send time, then to the greater name, so the choice
 * never depends on listing order (the legacy script kept whichever it listed
 * last). Undefined for no candidates.
 */
export function chooseExportFile<C extends FileCandidate>(candidates: readonly C[]): C | undefined {
  let best: C | undefined;
  for (const c of candidates) if (best === undefined || isBetter(c, best)) best = c;
  return best;
}

/** `chooseExportFile` per file type: the one file of each type a group is combined from. */
export function chooseExportFiles<C extends FileCandidate & { type: FileType }>(candidates: readonly C[]): Map<FileType, C> {
  const chosen = new Map<FileType, C>();
  for (const c of candidates) {
    const best = chosen.get(c.type);
    if (best === undefined || isBetter(c, best)) chosen.set(c.type, c);
  }
  return chosen;
}

function isBetter(a: FileCandidate, b: FileCandidate): boolean {
  if (a.dataRows !== b.dataRows) return a.dataRows > b.dataRows;
  if (a.sendTime !== b.sendTime) return a.sendTime > b.sendTime;
  return a.name > b.name;
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
