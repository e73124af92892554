import type { FileType } from '@posflow/contracts';

// Apart from export-files.grouping.ts (which loads @posflow/contracts and its zod schemas): a worker
// thread of `combineFolder` only chooses among re-sends, and starts ~100 ms sooner without them.

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
export function chooseExportFiles<C extends FileCandidate & { type: FileType }>(
  candidates: readonly C[],
): Map<FileType, C> {
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
