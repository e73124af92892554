import type { Collection, Db, IndexDescription } from 'mongodb';
import { Collections, type PartitionKey, type TransactionDoc, type TransactionFilter } from '@posflow/contracts';
import type { PartitionSummary, PartitionViewsRepository } from '@posflow/dal';
import { encodeCursor, type PageCursor } from '../domain/cursor.js';
import { addDays } from '../domain/dates.js';

/** Indexes behind the gateway's reads of `transactions` (the importer owns the write-side ones). */
export const transactionReadIndexes: IndexDescription[] = [
  { key: { date: -1, time: -1, _id: -1 }, name: 'gw_newest' },
  { key: { pg: 1, line: -1 }, name: 'gw_pg_line' },
];

export type TransactionRow = Omit<TransactionDoc, 'pg' | 'dateAt' | 'legacy'>;

export interface RowFilter extends Omit<TransactionFilter, 'branch'> {
  /** Effective branch list after scoping (undefined = all). */
  branches?: readonly string[] | undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Field filters shared by the list and the CSV export (everything but the date range). */
export function rowConditions(f: RowFilter): Record<string, unknown>[] {
  const and: Record<string, unknown>[] = [];
  if (f.branches) and.push({ branch: { $in: [...f.branches] } });
  if (f.pos) and.push({ pos: { $in: [...f.pos] } });
  if (f.product) and.push({ productClean: f.product });
  if (f.department) and.push({ departmentClean: f.department });
  if (f.payment) and.push({ paymentName: f.payment });
  if (f.category) and.push({ category: f.category });
  if (f.daypart) and.push({ daypart: f.daypart });
  if (f.q) {
    const re = { $regex: escapeRegex(f.q), $options: 'i' };
    and.push({ $or: [{ productName: re }, { itemCode: re }, { receiptNo: re }, { transNo: re }] });
  }
  return and;
}

/**
 * Reads of loaded rows. Rows belong to a partition generation; only the
 * partition's current generation is visible (the importer writes N+1, flips
 * the partition, then deletes N), so every read checks it.
 */
export class TransactionsReader {
  readonly col: Collection<TransactionDoc>;

  constructor(
    db: Db,
    private readonly partitions: PartitionViewsRepository,
  ) {
    this.col = db.collection<TransactionDoc>(Collections.transactions);
  }

  /**
   * One page in (date, time, _id) order, read one business date at a time:
   * `{date: d, …}` is an equality the database can serve from an index
   * (FerretDB 1.x pushes equalities down but sorts and ranges in memory over
   * the whole collection, which made a range query take minutes on a year of
   * rows). A date's matching rows are ordered here; dates are walked until the
   * page is full. Rows of a generation that is not current are skipped: they
   * exist only for the moments of a swap.
   */
  async queryTransactions(
    f: RowFilter,
    opts: { descending: boolean; limit: number; cursor?: PageCursor | undefined },
  ): Promise<{ items: TransactionRow[]; nextCursor: string | null }> {
    const conditions = rowConditions(f);
    const dir = opts.descending ? -1 : 1;
    const c = opts.cursor;
    const start = c ? c.d : opts.descending ? f.to : f.from;
    const items: TransactionRow[] = [];
    const generations = new Map<string, number>();
    let more = false;
    for (let date = start; opts.descending ? date >= f.from : date <= f.to; date = addDays(date, dir)) {
      if (date < f.from || date > f.to) continue;
      const rows = await this.col
        .find({ date, ...(conditions.length ? { $and: conditions } : {}) }, { projection: { legacy: 0, dateAt: 0 } })
        .toArray();
      rows.sort((a, b) => dir * (a.time.localeCompare(b.time) || a._id.localeCompare(b._id)));
      const after = c && date === c.d ? rows.filter((r) => dir * (r.time.localeCompare(c.t) || r._id.localeCompare(c.i)) > 0) : rows;
      const unknown = [...new Set(after.map((r) => r.partitionId))].filter((id) => !generations.has(id));
      for (const p of await this.partitions.byIds(unknown)) generations.set(p._id, p.generation);
      for (const r of after) {
        if (generations.get(r.partitionId) !== r.generation) continue;
        if (items.length === opts.limit) {
          more = true;
          break;
        }
        const { pg: _pg, ...row } = r;
        items.push(row);
      }
      if (more) break;
    }
    const last = items.at(-1);
    return { items, nextCursor: more && last ? encodeCursor({ d: last.date, t: last.time, i: last._id }) : null };
  }

  /** Current-generation rows of each partition in turn (partition order, then legacy line order). */
  async *streamRows(partitions: readonly PartitionSummary[], f: RowFilter): AsyncGenerator<TransactionRow> {
    const conditions = rowConditions({ ...f, branches: undefined, pos: undefined });
    for (const p of partitions) {
      if (p.generation === 0) continue;
      const filter = { pg: `${p._id}#${p.generation}`, ...(conditions.length ? { $and: conditions } : {}) };
      yield* this.col.find(filter, { projection: { legacy: 0, dateAt: 0, pg: 0 } }).sort({ line: -1 }) as AsyncIterable<TransactionRow>;
    }
  }

  /** The legacy lines of one partition's current generation in legacy order (reverse source-file order). */
  async *streamLegacy(p: Pick<PartitionSummary, '_id' | 'generation'>): AsyncGenerator<{ legacy: string; phone: string }> {
    if (p.generation === 0) return;
    yield* this.col
      .find({ pg: `${p._id}#${p.generation}` }, { projection: { _id: 0, legacy: 1, phone: 1 } })
      .sort({ line: -1 }) as AsyncIterable<{ legacy: string; phone: string }>;
  }
}

export type { PartitionKey };
