import type { Collection, Db, IndexDescription } from 'mongodb';
import {
  Collections,
  partitionId,
  type Daypart,
  type PartitionDoc,
  type PartitionKey,
  type PartitionSummaryDoc,
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
import {
  decodeTransactionCursor,
  encodeTransactionCursor,
  type TransactionCursor,
} from './transaction-cursor.js';

export const transactionIndexes: IndexDescription[] = [
  // Every write-side access is per generation (count, delete), and the exports read
  // one generation at a time.
  { key: { pg: 1, line: -1 }, name: 'gw_pg_line' },
  // The list reads one business date and hour at a time (or a date and a field filter).
  { key: { date: 1, hour: 1 }, name: 'date_hour' },
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

  private readonly summaries: Collection<PartitionSummaryDoc>;

  constructor(db: Db) {
    this.col = db.collection<TransactionDoc>(Collections.transactions);
    this.partitions = db.collection<PartitionDoc>(Collections.partitions);
    this.summaries = db.collection<PartitionSummaryDoc>(Collections.partitionSummaries);
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
   * it flipped generation meanwhile. A page reads at most MAX_DATES_PER_PAGE
   * dates: a short page with a non-null cursor means "nothing more in those
   * dates, keep going". Throws InvalidCursorError for a cursor we did not issue.
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
    // A selective filter over a long range may find few rows per date: a page reads at most
    // MAX_DATES_PER_PAGE dates, and a short page with a cursor says the search goes on.
    // A narrowing filter finds few rows per date: read the next few dates at once, in order.
    const ahead = isNarrow(q) ? DATES_AHEAD : 1;
    const pending: Array<Promise<TransactionRow[]>> = [];
    for (let dates = 0; inRange(day) || pending.length > 0; dates++) {
      while (pending.length < ahead && inRange(day) && dates + pending.length < MAX_DATES_PER_PAGE) {
        const resume = after && after.d === day && !after.f ? after : undefined;
        const read = this.readDay(q, day, dir, limit + 1, resume);
        read.catch(() => undefined); // awaited in order below; a read left behind must not go unhandled
        pending.push(read);
        day = addDays(day, desc ? -1 : 1);
      }
      const next = pending.shift();
      if (!next) {
        if (!inRange(day)) break;
        await Promise.allSettled(pending);
        return { items, nextCursor: encodeTransactionCursor({ d: day, t: '', i: '', f: true }) };
      }
      items.push(...(await next));
      if (items.length > limit) {
        await Promise.allSettled(pending);
        break;
      }
    }
    const more = items.length > limit;
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: more && last ? encodeTransactionCursor({ d: last.date, t: last.time, i: last._id }) : null,
    };
  }

  /**
   * Up to `want` current-generation rows of one date after `after`: the
   * date's buckets are read between two reads of its generations, and the
   * date is read again if a load flipped one of its partitions meanwhile.
   */
  private async readDay(
    q: TransactionQuery,
    date: string,
    dir: 1 | -1,
    want: number,
    after: TransactionCursor | undefined,
  ): Promise<TransactionRow[]> {
    const partFilter = { date };
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const before = await readGenerations(this.partitions, partFilter);
      if (![...before.values()].some((g) => g > 0)) return [];
      const out: TransactionRow[] = [];
      for (const bucket of await this.bucketsOf(q, date, dir, after, before)) {
        out.push(...(await this.readRows(q, date, bucket, dir, after, before)));
        if (out.length >= want) break;
      }
      const afterSnap = await readGenerations(this.partitions, partFilter);
      if (changedGenerations(before, afterSnap).length === 0) return out.slice(0, want);
    }
    throw new ConcurrentLoadError(`partitions of ${date} kept changing during the read`);
  }

  /**
   * How a date is read. A filter that narrows the date by itself (a product,
   * department, payment or category, or one branch) reads the date at once;
   * otherwise hour by hour in list order (no time sorts first), so the newest
   * page of a busy day reads one hour of rows, not the whole day. The hours
   * with rows come from the date's `hour` partition summaries (one small
   * read), so empty hours cost nothing; with a cursor, the hours before its
   * row are skipped.
   */
  private async bucketsOf(
    q: TransactionQuery,
    date: string,
    dir: 1 | -1,
    after: TransactionCursor | undefined,
    current: Generations,
  ): Promise<Bucket[]> {
    if (isNarrow(q)) return ['day'];
    let hours = await this.hoursWithRows(q, date, current);
    if (dir === -1) hours = hours.reverse();
    if (!after || after.d !== date) return hours;
    const from = hourOf(after.t);
    const rank = (h: number | null) => (h === null ? -1 : h);
    return hours.filter((h) => dir * (rank(h) - rank(from)) >= 0);
  }

  /** Hours of `date` (ascending, null first) in which the current generations in scope have rows. */
  private async hoursWithRows(q: TransactionQuery, date: string, current: Generations): Promise<(number | null)[]> {
    const docs = await this.summaries
      .find({ dim: 'hour', date }, { projection: { partitionId: 1, generation: 1, branch: 1, pos: 1, all: 1 } })
      .toArray();
    const inScope = (branch: string, pos: number) =>
      (!q.branches || q.branches.includes(branch)) && (!q.pos || q.pos.includes(pos));
    const loaded = [...current].filter(([, g]) => g > 0).map(([id]) => id);
    const seen = new Set<string>();
    const hours = new Set<string>();
    for (const d of docs) {
      if (current.get(d.partitionId) !== d.generation) continue;
      seen.add(d.partitionId);
      if (!inScope(d.branch, d.pos)) continue;
      for (const line of d.all === '' ? [] : d.all.split('\n')) hours.add(line.slice(0, line.indexOf('\t')));
    }
    // a generation loaded before summaries existed: every hour may have rows
    if (loaded.some((id) => !seen.has(id))) return [...HOURS_ASC];
    return HOURS_ASC.filter((h) => hours.has(h === null ? '' : String(h)));
  }

  /**
   * The query is equalities only (date, hour bucket, a single branch or POS,
   * the field filters): FerretDB 1.x pushes those down to PostgreSQL and
   * evaluates anything else (ranges, `$in`, `$or`, sorts) in Go over every
   * document the equalities leave, so the rest (branch and POS lists, text
   * search, the cursor, the order) is applied here to one bucket's rows.
   */
  private async readRows(
    q: TransactionQuery,
    date: string,
    bucket: Bucket,
    dir: 1 | -1,
    after: TransactionCursor | undefined,
    current: Generations,
  ): Promise<TransactionRow[]> {
    const filter: Record<string, unknown> = { date, ...equalities(q) };
    if (bucket !== 'day') filter.hour = bucket;
    const keep = rowPredicate(q);
    const rows = await this.col.find(filter, { projection: { legacy: 0, pg: 0, dateAt: 0 } }).toArray();
    const out: TransactionRow[] = [];
    for (const r of rows as TransactionRow[]) {
      if (current.get(r.partitionId) !== r.generation) continue; // a generation being written or removed
      if (!keep(r)) continue;
      if (after && after.d === date && dir * compareRows(r, after) <= 0) continue;
      out.push(r);
    }
    return out.sort((a, b) => dir * compareRows(a, { t: b.time, i: b._id }));
  }

  /**
   * Current-generation rows of each partition in turn (partition order, each
   * in legacy order: source line descending), with the list's field filters.
   * A partition is read whole and checked against its generation before any
   * of its rows is yielded; memory is one partition (one terminal-day).
   */
  async *streamRows(
    partitions: Iterable<Pick<PartitionDoc, '_id'>>,
    q: Omit<TransactionQuery, 'from' | 'to' | 'branches' | 'pos'> = {},
  ): AsyncGenerator<TransactionRow> {
    const keep = rowPredicate(q);
    for (const { _id: id } of partitions) {
      let rows: TransactionRow[] | undefined;
      for (let attempt = 0; !rows; attempt++) {
        if (attempt === SNAPSHOT_ATTEMPTS) throw new ConcurrentLoadError(`${id} kept changing during the export`);
        const before = await this.partitions.findOne({ _id: id }, { projection: { generation: 1 } });
        if (!before || before.generation === 0) break;
        const docs = await this.col
          .find({ pg: pgOf(id, before.generation), ...equalities(q) }, { projection: { legacy: 0, pg: 0, dateAt: 0 } })
          .toArray();
        const now = await this.partitions.findOne({ _id: id }, { projection: { generation: 1 } });
        if (now?.generation === before.generation)
          rows = (docs as TransactionRow[]).filter(keep).sort((a, b) => b.line - a.line);
      }
      if (rows) yield* rows;
    }
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
          .find({ pg: pgOf(id, before.generation) }, { projection: { _id: 0, legacy: 1, line: 1 } })
          .toArray();
        const now = await this.partitions.findOne({ _id: id }, { projection: { generation: 1 } });
        if (now?.generation === before.generation) lines = docs.sort((a, b) => b.line - a.line).map((d) => d.legacy);
      }
      if (lines) yield* lines;
    }
  }
}

/** A filter that narrows a date by itself: the date is read at once, and a few dates ahead. */
function isNarrow(q: TransactionQuery): boolean {
  return Boolean(q.product || q.department || q.payment || q.category || q.branches?.length === 1);
}

/** Dates read at once under a narrowing filter. */
const DATES_AHEAD = 4;

/** Dates one page of the list reads at most (a short page then comes with a cursor). */
export const MAX_DATES_PER_PAGE = 31;

/** An hour of the day (`hour` field; null = no time recorded), or the whole date in one read. */
type Bucket = number | null | 'day';

const HOURS_ASC: readonly (number | null)[] = [null, ...Array.from({ length: 25 }, (_, h) => h)];

/** The `hour` the combiner derives from TIME (its first two characters), null when there is none. */
function hourOf(time: string): number | null {
  const h = /^(\d\d)/.exec(time);
  return h ? Number(h[1]) : null;
}

/** (time, _id) order of the list within a date. */
function compareRows(r: { time: string; _id: string }, k: { t: string; i: string }): number {
  return r.time < k.t ? -1 : r.time > k.t ? 1 : r._id < k.i ? -1 : r._id > k.i ? 1 : 0;
}

/** The filters a query can hand to the database as plain equalities. */
function equalities(q: Omit<TransactionQuery, 'from' | 'to'>): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (q.branches?.length === 1) f.branch = q.branches[0];
  if (q.pos?.length === 1) f.pos = q.pos[0];
  if (q.product) f.productClean = q.product;
  if (q.department) f.departmentClean = q.department;
  if (q.payment) f.paymentName = q.payment;
  if (q.category) f.category = q.category;
  if (q.daypart) f.daypart = q.daypart;
  return f;
}

/** The other filters (branch and POS lists, text search), applied to the rows read. */
function rowPredicate(q: Omit<TransactionQuery, 'from' | 'to'>): (r: TransactionRow) => boolean {
  const branches = q.branches && q.branches.length !== 1 ? new Set(q.branches) : undefined;
  const pos = q.pos && q.pos.length !== 1 ? new Set(q.pos) : undefined;
  const needle = q.q?.toLowerCase();
  return (r) =>
    (!branches || branches.has(r.branch)) &&
    (!pos || pos.has(r.pos)) &&
    (!needle || [r.productName, r.itemCode, r.receiptNo, r.transNo].some((v) => v.toLowerCase().includes(needle)));
}
