import { dateRange, type CoverageGrid, type PartitionStatus } from '@posflow/contracts';

export interface GridPartition {
  branch: string;
  pos: number;
  date: string;
  status: PartitionStatus;
  rowsLoaded: number;
  knownEmpty?: boolean | undefined;
}

/**
 * The branch × POS × date grid. Every branch gets a POS 1 row; other POS
 * rows appear only where a partition of that POS exists in the range (most
 * branches have one terminal, and an all-null POS 2 row would read as
 * "missing" everywhere). Cells never requested are null.
 */
export function buildCoverageGrid(
  from: string,
  to: string,
  branches: readonly string[],
  partitions: readonly GridPartition[],
): CoverageGrid {
  const dates = dateRange(from, to);
  const dateIndex = new Map(dates.map((d, i) => [d, i]));
  const rows = new Map<string, CoverageGrid['rows'][number]>();
  const rowFor = (branch: string, pos: number) => {
    const id = `${branch}\u0000${pos}`;
    let row = rows.get(id);
    if (!row) {
      row = { branch, pos, cells: dates.map(() => null) };
      rows.set(id, row);
    }
    return row;
  };
  for (const b of branches) rowFor(b, 1);
  const totals: Record<string, number> = {};
  for (const p of partitions) {
    const i = dateIndex.get(p.date);
    if (i === undefined) continue;
    rowFor(p.branch, p.pos).cells[i] = {
      status: p.status,
      rows: p.rowsLoaded,
      ...(p.knownEmpty ? { knownEmpty: true } : {}),
    };
    totals[p.status] = (totals[p.status] ?? 0) + 1;
  }
  let never = 0;
  for (const r of rows.values()) never += r.cells.filter((c) => c === null).length;
  totals.never = never;
  const sorted = [...rows.values()].sort((a, b) => a.branch.localeCompare(b.branch) || a.pos - b.pos);
  return { from, to, dates, rows: sorted, totals };
}
