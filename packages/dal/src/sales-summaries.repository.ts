import { MongoServerError, type Collection, type Db, type IndexDescription } from 'mongodb';
import { TransientError } from '@posflow/runtime';
import {
  Collections,
  ROLLUP_DIMENSIONS,
  partitionId,
  type MonthSummaryDoc,
  type MonthSummaryHeadDoc,
  type PartitionDoc,
  type PartitionKey,
  type PartitionSummaryDoc,
  type RollupDimension,
  type RollupDoc,
  type RollupScope,
  type SalesGroup,
} from '@posflow/contracts';
import { duplicateKeyCount } from './duplicate-keys.js';
import { ConcurrentLoadError, SNAPSHOT_ATTEMPTS, pgOf } from './generation-snapshot.js';
import {
  addEncodedEntries,
  addEntry,
  decodeEntries,
  subtractEncodedEntries,
  encodeEntries,
  packRollups,
  type SummaryEntry,
  type SummaryTable,
} from './summary-entries.js';

export const partitionSummaryIndexes: IndexDescription[] = [
  // Partial months of a report: one dimension, one date.
  { key: { dim: 1, date: 1 }, name: 'dim_date' },
  // Month rebuilds: a branch's month.
  { key: { branch: 1, ym: 1 }, name: 'branch_ym' },
  // Per-generation delete after a swap.
  { key: { pg: 1 }, name: 'pg' },
];

export const monthSummaryIndexes: IndexDescription[] = [
  // Whole months of a report: one dimension, one year.
  { key: { dim: 1, year: 1 }, name: 'dim_year' },
];

/** Dates read at once by a report (each read is small; the database overlaps them). */
const READ_CONCURRENCY = 8;

/** A month rebuild claimed by a process that died before writing it is taken back after this long. */
const STALE_CLAIM_MS = 10_000;

/** Which field of a summary a report groups by: the entry key, or the date/weekday/branch of a `day` entry. */
export type SummaryGroupField = 'key' | 'date' | 'weekday' | 'branch' | null;

export interface SummarySumsArgs {
  from: string;
  to: string;
  /** Effective branch list (undefined = all). */
  branches?: readonly string[] | undefined;
  dim: RollupDimension;
  scope: RollupScope;
  field: SummaryGroupField;
}

/** Which summary dimension and field a report grouping reads (weekday and branch read the `day` summaries). */
export function summarySource(groupBy: SalesGroup): {
  dim: RollupDimension;
  field: Exclude<SummaryGroupField, null>;
} {
  switch (groupBy) {
    case 'day':
      return { dim: 'day', field: 'date' };
    case 'weekday':
      return { dim: 'day', field: 'weekday' };
    case 'branch':
      return { dim: 'day', field: 'branch' };
    case 'hour':
    case 'daypart':
    case 'department':
    case 'product':
    case 'category':
    case 'payment':
    case 'discount':
      return { dim: groupBy, field: 'key' };
  }
}

/** One report group's sums (quantity in units, exact to 4 decimals). */
export interface SummarySums {
  key: string;
  salesE4: number;
  quantity: number;
  receipts: number;
}

/** Dates of a range split into whole calendar months and the loose days at either end. */
export function splitRange(from: string, to: string): { months: string[]; days: string[] } {
  const months: string[] = [];
  const days: string[] = [];
  for (let d = from; d <= to; ) {
    const ym = d.slice(0, 7);
    const last = lastDayOfMonth(ym);
    if (d.endsWith('-01') && last <= to) {
      months.push(ym);
      d = addDays(last, 1);
    } else {
      days.push(d);
      d = addDays(d, 1);
    }
  }
  return { months, days };
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Every date of a calendar month. */
function monthDays(ym: string): string[] {
  const out: string[] = [];
  for (let d = `${ym}-01`; d.startsWith(ym); d = addDays(d, 1)) out.push(d);
  return out;
}

function lastDayOfMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const WEEKDAY = (date: string): string => String(new Date(`${date}T00:00:00Z`).getUTCDay());

/**
 * Sales summaries (packed rollups) and what reports read from them.
 *
 * Every read is an equality on indexed fields (`{dim, year}` for whole
 * months, `{dim, date}` and `{date}` for loose days): FerretDB 1.x pushes
 * equalities down to PostgreSQL but evaluates ranges and `$in` over the whole
 * collection, and a year of per-key rollups is millions of documents. A year
 * for 30 branches is 360 month documents per dimension.
 */
export class SalesSummariesRepository {
  readonly parts: Collection<PartitionSummaryDoc>;
  readonly months: Collection<MonthSummaryDoc>;
  private readonly heads: Collection<MonthSummaryHeadDoc>;
  private readonly revs: Collection<{ _id: string; at: Date }>;
  private readonly dirty: Collection<{ _id: string; branch: string; ym: string; at: Date }>;
  private readonly partitions: Collection<PartitionDoc>;
  private readonly rollups: Collection<RollupDoc>;

  constructor(db: Db) {
    this.parts = db.collection(Collections.partitionSummaries);
    this.months = db.collection(Collections.monthSummaries);
    this.heads = db.collection(Collections.monthSummaryHeads);
    this.revs = db.collection(Collections.monthSummaryRevs);
    this.dirty = db.collection(Collections.monthSummaryDirty);
    this.partitions = db.collection(Collections.partitions);
    this.rollups = db.collection(Collections.rollups);
  }

  /** The partition summaries of one generation, from its rollups (a pure function of them). */
  static partitionDocs(
    key: PartitionKey,
    generation: number,
    rollups: readonly RollupDoc[],
  ): PartitionSummaryDoc[] {
    const pid = partitionId(key);
    const pg = pgOf(pid, generation);
    const packed = packRollups(rollups, ROLLUP_DIMENSIONS);
    return ROLLUP_DIMENSIONS.map((dim) => ({
      _id: `${pg}|${dim}`,
      partitionId: pid,
      generation,
      pg,
      branch: key.branch,
      pos: key.pos,
      date: key.date,
      ym: key.date.slice(0, 7),
      dim,
      ...(packed.get(dim) as Record<RollupScope, string>),
    }));
  }

  /** Writes one generation's summaries; a document already there (an earlier attempt) is identical. */
  async insertGeneration(
    key: PartitionKey,
    generation: number,
    rollups: readonly RollupDoc[],
  ): Promise<void> {
    try {
      await this.parts.insertMany(SalesSummariesRepository.partitionDocs(key, generation, rollups), {
        ordered: false,
      });
    } catch (err) {
      if (duplicateKeyCount(err) === null) throw err;
    }
  }

  /**
   * Partition summaries for every generation among `rollups`, then a rebuild
   * of every month they touch: for data written without the importer (seeds,
   * benchmarks) and for back-filling summaries of older loads.
   */
  async insertFromRollups(
    rollups: readonly RollupDoc[],
    opts: { refresh?: boolean } = {},
  ): Promise<string[]> {
    const byPg = new Map<string, RollupDoc[]>();
    for (const r of rollups) {
      const list = byPg.get(r.pg);
      if (list) list.push(r);
      else byPg.set(r.pg, [r]);
    }
    const docs = [...byPg.values()].flatMap((rs) => {
      const r = rs[0] as RollupDoc;
      return SalesSummariesRepository.partitionDocs(r, r.generation, rs);
    });
    for (let i = 0; i < docs.length; i += 1_000) await this.insertGenerationDocs(docs.slice(i, i + 1_000));
    const months = [
      ...new Set([...byPg.values()].map((rs) => `${rs[0]?.branch}|${rs[0]?.date.slice(0, 7)}`)),
    ];
    if (opts.refresh !== false) await this.refreshMonths(months);
    return months;
  }

  /**
   * Records that a load changed (branch, month): one insert, idempotent per
   * generation. The month is rebuilt by `rebuildDirtyMonths` (the importers
   * run it every few seconds), so a burst of loads of one month costs one
   * rebuild, not one each, and a crash leaves the mark for the next run.
   */
  async markMonthDirty(branch: string, ym: string, pg: string): Promise<void> {
    try {
      await this.dirty.insertOne({ _id: `${branch}|${ym}|${pg}`, branch, ym, at: new Date() });
    } catch (err) {
      if (!(err instanceof MongoServerError) || err.code !== 11000) throw err;
    }
  }

  /**
   * Rebuilds every month marked dirty, once each, then removes the marks it
   * read (a mark made during the rebuild stays for the next run). Several
   * importers may run this at once: the rebuilds are revision-claimed.
   * Returns the months rebuilt or found unchanged.
   */
  async rebuildDirtyMonths(): Promise<number> {
    const marks = await this.dirty.find({}, { projection: { branch: 1, ym: 1 } }).toArray();
    const months = new Map<string, string[]>();
    for (const m of marks) months.set(`${m.branch}|${m.ym}`, [...(months.get(`${m.branch}|${m.ym}`) ?? []), m._id]);
    for (const [month, ids] of months) {
      await this.refreshMonths([month]);
      for (const id of ids) await this.dirty.deleteOne({ _id: id });
    }
    return months.size;
  }

  /** `refreshMonth` for each `<branch>|<YYYY-MM>`. */
  async refreshMonths(months: Iterable<string>): Promise<void> {
    for (const m of months) {
      const cut = m.lastIndexOf('|');
      await this.refreshMonth(m.slice(0, cut), m.slice(cut + 1));
    }
  }

  async deleteGeneration(pg: string): Promise<number> {
    return (await this.parts.deleteMany({ pg })).deletedCount;
  }

  /**
   * Rebuilds the month summaries of (branch, `YYYY-MM`) from the current
   * generations' partition summaries. Runs after every load, so concurrent
   * loads of one month each rebuild it: a rebuild reads the head's revision
   * before its sources and claims revision + 1 (a unique insert, which has
   * one winner on every backend) before writing, and the head is written
   * last, so the final write always saw every load that had flipped before
   * it. A loser re-reads and rebuilds. Nothing to do when the head already
   * lists the same generations. A generation loaded before summaries existed
   * gets its partition summaries built from its rollups here.
   */
  async refreshMonth(branch: string, ym: string): Promise<'rebuilt' | 'unchanged'> {
    const headId = `${branch}|${ym}`;
    const deadline = Date.now() + STALE_CLAIM_MS + 5_000;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const head = await this.heads.findOne({ _id: headId });
      const rev = head?.rev ?? 0;
      const current = await this.currentOfMonth(branch, ym);
      const parts = [...current]
        .map(([id, g]) => pgOf(id, g))
        .sort()
        .join(',');
      if (head && head.parts === parts) return 'unchanged';
      const tables = await this.monthTables(branch, ym, current);
      const claim = `${headId}@${rev + 1}`;
      try {
        await this.revs.insertOne({ _id: claim, at: new Date() });
      } catch (err) {
        if (!(err instanceof MongoServerError) || err.code !== 11000) throw err;
        await this.reclaimIfStale(headId, rev, claim);
        await new Promise((r) => setTimeout(r, Math.min(5 + Math.random() * 20 * (attempt + 1), 500)));
        continue;
      }
      const updatedAt = new Date();
      for (const dim of ROLLUP_DIMENSIONS) {
        const doc: MonthSummaryDoc = {
          _id: `${headId}|${dim}`,
          branch,
          year: Number(ym.slice(0, 4)),
          ym,
          dim,
          all: encodeEntries(tables.get(`${dim}|all`) ?? new Map<string, SummaryEntry>()),
          products: encodeEntries(tables.get(`${dim}|products`) ?? new Map<string, SummaryEntry>()),
          parts,
          updatedAt,
        };
        await this.months.replaceOne({ _id: doc._id }, doc, { upsert: true });
      }
      await this.heads.replaceOne({ _id: headId }, { rev: rev + 1, parts, updatedAt }, { upsert: true });
      await this.revs.deleteOne({ _id: `${headId}@${rev}` }).catch(() => undefined);
      return 'rebuilt';
    }
    throw new TransientError(`month summary ${headId}: could not claim a revision (contention)`);
  }

  private async reclaimIfStale(headId: string, rev: number, claim: string): Promise<void> {
    const lock = await this.revs.findOne({ _id: claim });
    if (!lock || Date.now() - lock.at.getTime() < STALE_CLAIM_MS) return;
    const still = await this.heads.findOne({ _id: headId }, { projection: { rev: 1 } });
    if ((still?.rev ?? 0) === rev) await this.revs.deleteOne({ _id: claim, at: lock.at });
  }

  /** partitionId → current generation of a branch's loaded partitions in one month (`{branch}` equality). */
  private async currentOfMonth(branch: string, ym: string): Promise<Map<string, number>> {
    const docs = await this.partitions.find({ branch }, { projection: { date: 1, generation: 1 } }).toArray();
    return new Map(
      docs
        .filter((d) => d.generation > 0 && d.date.startsWith(ym))
        .map((d) => [d._id, d.generation] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  }

  private async monthTables(
    branch: string,
    ym: string,
    current: Map<string, number>,
  ): Promise<Map<string, SummaryTable>> {
    const wanted = new Set([...current].map(([id, g]) => pgOf(id, g)));
    const docs = (await this.parts.find({ branch, ym }).toArray()).filter((d) => wanted.has(d.pg));
    const have = new Set(docs.map((d) => d.pg));
    for (const pg of wanted) {
      if (have.has(pg)) continue;
      // Loaded before summaries existed (or their insert was lost): build them from the rollups.
      const sample = await this.partitions.findOne({ _id: pg.slice(0, pg.lastIndexOf('#')) });
      if (!sample) continue;
      const rollups = await this.rollups.find({ pg }).toArray();
      const built = SalesSummariesRepository.partitionDocs(
        sample,
        Number(pg.slice(pg.lastIndexOf('#') + 1)),
        rollups,
      );
      await this.insertGenerationDocs(built);
      docs.push(...built);
    }
    const tables = new Map<string, SummaryTable>();
    for (const d of docs) {
      for (const scope of ['all', 'products'] as const) {
        const id = `${d.dim}|${scope}`;
        let t = tables.get(id);
        if (!t) tables.set(id, (t = new Map<string, SummaryEntry>()));
        addEncodedEntries(t, d[scope]);
      }
    }
    return tables;
  }

  private async insertGenerationDocs(docs: PartitionSummaryDoc[]): Promise<void> {
    try {
      await this.parts.insertMany(docs, { ordered: false });
    } catch (err) {
      if (duplicateKeyCount(err) === null) throw err;
    }
  }

  /**
   * Sums of one dimension over a range, grouped by `field` (null: one total).
   * Whole months come from the month summaries, loose days from the current
   * generations' partition summaries of each date (read between two reads of
   * that date's generations, and redone if a load flipped one in between).
   * A month with a pending rebuild (a dirty mark) is read day by day like
   * loose days, so a report never lags a finished load.
   */
  async sums(args: SummarySumsArgs): Promise<SummarySums[]> {
    const branches = args.branches ? new Set(args.branches) : undefined;
    // A month a load has marked dirty (its rebuild pending) is read day by day from the current
    // generations' partition summaries, so a report never lags a finished load.
    const pending = new Set(
      (await this.dirty.find({}, { projection: { branch: 1, ym: 1 } }).toArray())
        .filter((m) => !branches || branches.has(m.branch))
        .map((m) => m.ym),
    );
    const split = splitRange(args.from, args.to);
    const months = split.months.filter((ym) => !pending.has(ym));
    const days = [
      ...split.days,
      ...split.months.filter((ym) => pending.has(ym)).flatMap((ym) => monthDays(ym)),
    ].sort();
    const inRange = (date: string) => date >= args.from && date <= args.to;
    const out = new Map<string, SummaryTable>();
    const into = (group: string): SummaryTable => {
      let t = out.get(group);
      if (!t) out.set(group, (t = new Map<string, SummaryEntry>()));
      return t;
    };
    /** Adds one branch's entries to the groups asked for (`day` entries are keyed by date: outside the range they are skipped). */
    const collect = (branch: string, table: SummaryTable): void => {
      for (const e of table.values()) {
        if (args.dim === 'day' && !inRange(e.key)) continue;
        if (e.lines === 0) continue;
        switch (args.field) {
          case null:
            addEntry(into(''), { ...e, key: '' });
            break;
          case 'key':
            addEntry(into('key'), e);
            break;
          case 'branch':
            addEntry(into('branch'), { ...e, key: branch });
            break;
          case 'date':
            addEntry(into('key'), e);
            break;
          case 'weekday':
            addEntry(into('key'), { ...e, key: WEEKDAY(e.key) });
            break;
        }
      }
    };

    // Loose days of a month: `day` summaries are keyed by date, so the month summary serves them
    // too; other dimensions read the loose days' partition summaries (three reads a day: the
    // summaries between two reads of the day's generations), or the month minus the days outside
    // the range (one read a day) when that is fewer reads.
    const loose = new Map<string, string[]>();
    for (const d of days) loose.set(d.slice(0, 7), [...(loose.get(d.slice(0, 7)) ?? []), d]);
    const fromMonth = new Set(months);
    const complement = new Map<string, string[]>();
    const direct: string[] = [];
    for (const [ym, list] of loose) {
      const outside = monthDays(ym).filter((d) => !inRange(d));
      if (pending.has(ym)) direct.push(...list);
      else if (args.dim === 'day') fromMonth.add(ym);
      else if (outside.length < list.length * 3) {
        fromMonth.add(ym);
        complement.set(ym, outside);
      } else direct.push(...list);
    }

    const removed = new Map<string, PartitionSummaryDoc[]>();
    await forEachLimited([...complement.values()].flat(), READ_CONCURRENCY, async (date) => {
      removed.set(date, await this.parts.find({ dim: args.dim, date }).toArray());
    });
    const other = args.scope === 'all' ? 'products' : 'all';
    for (const year of new Set([...fromMonth].map((m) => Number(m.slice(0, 4))))) {
      const docs = await this.months
        .find(
          { dim: args.dim, year },
          { projection: complement.size ? { [other]: 0 } : { parts: 0, [other]: 0 } },
        )
        .toArray();
      for (const d of docs) {
        if (!fromMonth.has(d.ym) || (branches && !branches.has(d.branch))) continue;
        const table = decodeEntries(d[args.scope]);
        const cut = complement.get(d.ym);
        if (cut) {
          const summed = new Set(d.parts.split(','));
          for (const date of cut)
            for (const p of removed.get(date) ?? [])
              if (p.branch === d.branch && summed.has(p.pg)) subtractEncodedEntries(table, p[args.scope]);
        }
        collect(d.branch, table);
      }
    }
    await forEachLimited(direct, READ_CONCURRENCY, async (date) => {
      for (const d of await this.currentSummariesOfDate(date, args.dim, branches))
        collect(d.branch, decodeEntries(d[args.scope]));
    });

    const rows: SummarySums[] = [];
    for (const table of out.values())
      for (const e of table.values())
        rows.push({ key: e.key, salesE4: e.salesE4, quantity: e.quantityE4 / 10_000, receipts: e.receipts });
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** One date's partition summaries of the current generations (a consistent snapshot). */
  private async currentSummariesOfDate(
    date: string,
    dim: RollupDimension,
    branches: ReadonlySet<string> | undefined,
  ): Promise<PartitionSummaryDoc[]> {
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const before = await this.generationsOfDate(date);
      const docs = await this.parts.find({ dim, date }).toArray();
      const after = await this.generationsOfDate(date);
      if (before.key !== after.key) continue;
      return docs.filter(
        (d) => after.gens.get(d.partitionId) === d.generation && (!branches || branches.has(d.branch)),
      );
    }
    throw new ConcurrentLoadError(`summaries of ${date} kept changing during the report`);
  }

  private async generationsOfDate(date: string): Promise<{ key: string; gens: Map<string, number> }> {
    const docs = await this.partitions.find({ date }, { projection: { generation: 1 } }).toArray();
    const gens = new Map(docs.map((d) => [d._id, d.generation]));
    return {
      key: [...gens]
        .map(([id, g]) => `${id}#${g}`)
        .sort()
        .join(','),
      gens,
    };
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  });
  await Promise.all(workers);
}
