import type { Collection, Db, IndexDescription } from 'mongodb';
import {
  Collections,
  partitionId,
  type Daypart,
  type PartitionDoc,
  type PartitionKey,
  type TransactionDoc,
} from '@posflow/contracts';
import {
  ConcurrentLoadError,
  SNAPSHOT_ATTEMPTS,
  changedGenerations,
  pgOf,
  readGenerations,
  type Generations,
} from './generation-snapshot.js';
import { duplicateKeyCount } from './duplicate-keys.js';
import { PartitionViewsRepository } from './partition-views.repository.js';
import {
  decodeTransactionCursor,
  encodeTransactionCursor,
  type TransactionCursor,
} from './transaction-cursor.js';

// Names and keys match what the gateway's main.ts already creates (services/gateway/src/adapters/
// transactions.reader.ts): an index with the same key under another name would fail its start.
export const transactionIndexes: IndexDescription[] = [
  // Every write-side access is per generation (count, delete), and the legacy export reads
  // a generation in legacy order (source line descending) straight off this index.
  { key: { pg: 1, line: -1 }, name: 'gw_pg_line' },
  // The transaction list pages one business date at a time: equality on date, then time/_id
  // keyset order in either direction. Branch and the other filters are checked inside the day.
  { key: { date: -1, time: -1, _id: -1 }, name: 'gw_newest' },
];

/** Filters of the transaction list (API `TransactionFilter`, branches already scoped). */
export interface TransactionQuery {
  from: string;
  to: string;
  branches?: readonly string[] | undefined;
  pos?: readonly number[] | undefined;
  /** Clean product name (exact). */
  product?: string | undefined;
  /** Clean department name (exact). */
  department?: string | undefined;
  /** Payment method name (exact). */
  payment?: string | undefined;
  daypart?: Daypart | undefined;
  category?: string | undefined;
  /** Case-insensitive substring of product name, item code, receipt or transaction number. */
  q?: string | undefined;
}

/** `-date` = newest first (date, time, _id descending); `date` = oldest first. */
export type TransactionSort = 'date' | '-date';

/** A list row: the stored document without the bulky legacy line and load bookkeeping. */
export type TransactionRow = Omit<TransactionDoc, 'legacy' | 'pg' | 'dateAt'>;

export interface TransactionPage {
  items: TransactionRow[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DAY_MS = 86_400_000;
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * The transactions collection: one document per legacy output row, written
 * by the importer per partition generation and read by the gateway. Every
 * read here returns rows of the partitions' CURRENT generation only, checked
 * with a before/after generation snapshot (see generation-snapshot.ts), so a
 * re-import running underneath is seen all-old or all-new, never mixed.
 */
export class TransactionsRepository {
  readonly col: Collection<TransactionDoc>;
  private readonly partitions: Collection<PartitionDoc>;

  constructor(db: Db) {
    this.col = db.collection<TransactionDoc>(Collections.transactions);
    this.partitions = db.collection<PartitionDoc>(Collections.partitions);
  }

  // ---- write side (importer) ------------------------------------------------

  /**
   * Inserts a batch (unordered). Ids are deterministic, so a document that is
   * already there is the very same row written by an earlier attempt:
   * duplicate-key errors (11000) are expected on redelivery and ignored; any
   * other write error is thrown. Plain inserts, not upserts: on FerretDB 1.x
   * an upsert is a full scan per document (about 60x slower, see docs/data-model.md).
   */
  async insertBatch(docs: readonly TransactionDoc[]): Promise<{ inserted: number; duplicates: number }> {
    if (docs.length === 0) return { inserted: 0, duplicates: 0 };
    try {
      const r = await this.col.insertMany(docs as TransactionDoc[], { ordered: false });
      return { inserted: r.insertedCount, duplicates: 0 };
    } catch (err) {
      const duplicates = duplicateKeyCount(err);
      if (duplicates === null) throw err;
      return { inserted: docs.length - duplicates, duplicates };
    }
  }

  countGeneration(pg: string): Promise<number> {
    return this.col.countDocuments({ pg });
  }

  /** Removes one partition generation's rows (superseded, or a failed import's leftovers). */
  async deleteGeneration(pg: string): Promise<number> {
    return (await this.col.deleteMany({ pg })).deletedCount;
  }

  // ---- read side (gateway) --------------------------------------------------

  /**
   * One page of the transaction list in (date, time, _id) order. Pages one
   * business date at a time (an equality the date index serves on MongoDB and
   * FerretDB alike); each date's rows are kept only when they belong to their
   * partition's current generation, and the date is re-read if a partition of
   * it flipped generation meanwhile. Throws InvalidCursorError for a cursor
   * we did not issue.
   */
  async queryTransactions(
    q: TransactionQuery,
    sort: TransactionSort = '-date',
    limit = 100,
    cursor?: string,
  ): Promise<TransactionPage> {
    const after = cursor === undefined ? undefined : decodeTransactionCursor(cursor);
    if (cursor !== undefined && !after) throw new InvalidCursorError('cursor is not valid');
    const desc = sort === '-date';
    const dir = desc ? -1 : 1;
    const items: TransactionRow[] = [];
    let day = after ? after.d : desc ? q.to : q.from;
    const inRange = (d: string) => d >= q.from && d <= q.to;
    while (inRange(day)) {
      const want = limit + 1 - items.length;
      const rows = await this.readDay(q, day, dir, want, after && after.d === day ? after : undefined);
      items.push(...rows);
      if (items.length > limit) break;
      day = addDays(day, desc ? -1 : 1);
    }
    const more = items.length > limit;
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: more && last ? encodeTransactionCursor({ d: last.date, t: last.time, i: last._id }) : null,
    };
  }

  /** Up to `want` current-generation rows of one date after `after`, consistent per partition. */
  private async readDay(
    q: TransactionQuery,
    date: string,
    dir: 1 | -1,
    want: number,
    after: TransactionCursor | undefined,
  ): Promise<TransactionRow[]> {
    const partFilter = PartitionViewsRepository.rangeFilter({
      from: date,
      to: date,
      branches: q.branches,
      pos: q.pos,
    });
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const before = await readGenerations(this.partitions, { ...partFilter, generation: { $gt: 0 } });
      if (before.size === 0) return [];
      const rows = await this.readRows(q, date, dir, want, after, before);
      const afterSnap = await readGenerations(this.partitions, { ...partFilter, generation: { $gt: 0 } });
      if (changedGenerations(before, afterSnap).length === 0) return rows;
    }
    throw new ConcurrentLoadError(`partitions of ${date} kept changing during the read`);
  }

  private async readRows(
    q: TransactionQuery,
    date: string,
    dir: 1 | -1,
    want: number,
    after: TransactionCursor | undefined,
    current: Generations,
  ): Promise<TransactionRow[]> {
    const and: Record<string, unknown>[] = [{ date }, ...rowConditions(q)];
    if (after) {
      const op = dir === -1 ? '$lt' : '$gt';
      and.push({ $or: [{ time: { [op]: after.t } }, { time: after.t, _id: { [op]: after.i } }] });
    }
    const out: TransactionRow[] = [];
    const cur = this.col
      .find({ $and: and }, { projection: { legacy: 0, pg: 0, dateAt: 0 } })
      .sort({ time: dir, _id: dir })
      .batchSize(Math.min(want + 16, 1_000));
    try {
      for await (const r of cur) {
        if (current.get(r.partitionId) !== r.generation) continue; // a generation being written or removed
        out.push(r as TransactionRow);
        if (out.length >= want) break;
      }
    } finally {
      await cur.close();
    }
    return out;
  }

  /**
   * The legacy CSV lines (no newline) of each partition's current generation,
   * partitions in the order given, each in legacy order (source line
   * descending). A partition is read whole and checked against its generation
   * before any of its lines is yielded, so an export never contains half of
   * a generation; memory is one partition's lines (one terminal-day).
   */
  async *streamLegacy(keys: Iterable<PartitionKey>): AsyncGenerator<string> {
    for (const key of keys) {
      const id = partitionId(key);
      let lines: string[] | undefined;
      for (let attempt = 0; !lines; attempt++) {
        if (attempt === SNAPSHOT_ATTEMPTS)
          throw new ConcurrentLoadError(`${id} kept changing during the export`);
        const before = await this.partitions.findOne({ _id: id }, { projection: { generation: 1 } });
        if (!before || before.generation === 0) lines = [];
        if (!before || before.generation === 0) break;
        const docs = await this.col
          .find({ pg: pgOf(id, before.generation) }, { projection: { _id: 0, legacy: 1 } })
          .sort({ line: -1 })
          .toArray();
        const now = await this.partitions.findOne({ _id: id }, { projection: { generation: 1 } });
        if (now?.generation === before.generation) lines = docs.map((d) => d.legacy);
      }
      if (lines) yield* lines;
    }
  }
}

/** Field conditions of the list (everything but the date). */
export function rowConditions(q: TransactionQuery): Record<string, unknown>[] {
  const and: Record<string, unknown>[] = [];
  if (q.branches) and.push({ branch: { $in: [...q.branches] } });
  if (q.pos) and.push({ pos: { $in: [...q.pos] } });
  if (q.product) and.push({ productClean: q.product });
  if (q.department) and.push({ departmentClean: q.department });
  if (q.payment) and.push({ paymentName: q.payment });
  if (q.category) and.push({ category: q.category });
  if (q.daypart) and.push({ daypart: q.daypart });
  if (q.q) {
    const re = { $regex: escapeRegex(q.q), $options: 'i' };
    and.push({ $or: [{ productName: re }, { itemCode: re }, { receiptNo: re }, { transNo: re }] });
  }
  return and;
}
