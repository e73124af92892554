import { FILE_TYPES, type FileType } from '@posflow/contracts';

export interface Candidate {
  type: FileType;
  dataRows: number;
  sendTime: string;
  name: string;
}

/**
 * One file per type among re-sent duplicates: the most data rows, ties to the
 * later `HH-MM` send time, then the name (so the choice never depends on
 * listing or storage order). spec/legacy-combine.md "File names and grouping".
 */
export function chooseFiles<C extends Candidate>(candidates: readonly C[]): Map<FileType, C> {
  const chosen = new Map<FileType, C>();
  for (const c of candidates) {
    const best = chosen.get(c.type);
    if (!best || better(c, best)) chosen.set(c.type, c);
  }
  return chosen;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.dataRows !== b.dataRows) return a.dataRows > b.dataRows;
  if (a.sendTime !== b.sendTime) return a.sendTime > b.sendTime;
  return a.name > b.name;
}

export function missingTypes(chosen: ReadonlyMap<FileType, unknown>): FileType[] {
  return FILE_TYPES.filter((t) => !chosen.has(t));
}
