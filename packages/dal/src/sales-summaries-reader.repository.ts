import type { Collection, Db } from 'mongodb';
import {
  Collections,
  type DaySummaryDoc,
  type MonthSummaryDirtyDoc,
  type MonthSummaryDoc,
  type PartitionDoc,
  type PartitionSummaryDoc,
  type RollupDimension,
  type RollupScope,
} from '@posflow/contracts';
import { ConcurrentLoadError, SNAPSHOT_ATTEMPTS } from './generation-snapshot.js';
import {
  addEncodedDayEntries,
  addEntry,
  decodeEntries,
  type SummaryEntry,
  type SummaryTable,
} from './summary-entries.js';
import { planSummaryReads, weekdayOf, yearsOf, type SummaryGroupField } from './summary-plan.js';

/** Dates read at once by a report (each read is small; the database overlaps them). */
const READ_CONCURRENCY = 8;

/**
 * A month with this many loose days or fewer reads them from partition
 * summaries: a date's partition summaries (one per terminal) are smaller
 * than the month's day summaries of every branch.
 */
const DIRECT_LOOSE_DAYS = 2;

export interface SummarySumsArgs {
  from: string;
  to: string;
  /** Effective branch list (undefined = all). */
  branches?: readonly string[] | undefined;
  dim: RollupDimension;
  scope: RollupScope;
  field: SummaryGroupField;
}

/** One report group's sums (quantity in units, exact to 4 decimals). */
export interface SummarySums {
  key: string;
  salesE4: number;
  quantity: number;
  receipts: number;
}

/**
 * What reports read of the sales summaries (written by `SalesSummariesWriter`).
 *
 * Every read is an equality on indexed fields: `{dim, year}` for whole
 * months, `{dim, ym}` for the loose days of a month, `{dim, date}` and
 * `{date}` for a date read from partition summaries, `{year}` for the dirty
 * marks. FerretDB 1.x pushes equalities down to PostgreSQL but evaluates
 * ranges and `$in` over the whole collection, and a year of per-key rollups
 * is millions of documents. A year for 30 branches is 360 month documents
 * per dimension; its loose days at most 60 day documents.
 */
export class SalesSummariesReader {
  private readonly parts: Collection<PartitionSummaryDoc>;
  private readonly months: Collection<MonthSummaryDoc>;
  private readonly days: Collection<DaySummaryDoc>;
  private readonly dirty: Collection<MonthSummaryDirtyDoc>;
  private readonly partitions: Collection<PartitionDoc>;

  constructor(db: Db) {
    this.parts = db.collection(Collections.partitionSummaries);
    this.months = db.collection(Collections.monthSummaries);
    this.days = db.collection(Collections.daySummaries);
    this.dirty = db.collection(Collections.monthSummaryDirty);
    this.partitions = db.collection(Collections.partitions);
  }

  /**
   * Sums of one dimension over a range, grouped by `field` (null: one total).
   * Whole months come from the month summaries, loose days from the day
   * summaries (or, for a month with a couple of them, from the partition
   * summaries of the current generations, read between two reads of the
   * date's generations and redone if a load flipped one in between). A month
   * with a pending rebuild (a dirty mark) is read date by date from the
   * partition summaries, so a report never lags a finished load.
   */
  async sums(args: SummarySumsArgs): Promise<SummarySums[]> {
    const branches = args.branches ? new Set(args.branches) : undefined;
    const plan = planSummaryReads(
      args.from,
      args.to,
      await this.pendingMonths(args.from, args.to, branches),
      DIRECT_LOOSE_DAYS,
    );
    const inRange = (date: string) => date >= args.from && date <= args.to;
    const out = new Map<string, SummaryTable>();
    const into = (group: string): SummaryTable => {
      let t = out.get(group);
      if (!t) out.set(group, (t = new Map<string, SummaryEntry>()));
      return t;
    };
    /** Adds one branch's entries to the groups asked for (`day` entries are keyed by date: outside the range they are skipped). */
    const collect = (branch: string, table: SummaryTable): void => {
      if (branches && !branches.has(branch)) return;
      for (const e of table.values()) {
        if (args.dim === 'day' && !inRange(e.key)) continue;
        if (e.lines === 0) continue;
        switch (args.field) {
          case null:
            addEntry(into(''), { ...e, key: '' });
            break;
          case 'key':
          case 'date':
            addEntry(into('key'), e);
            break;
          case 'branch':
            addEntry(into('branch'), { ...e, key: branch });
            break;
          case 'weekday':
            addEntry(into('key'), { ...e, key: weekdayOf(e.key) });
            break;
        }
      }
    };

    // One branch (a scoped key or a `branch` filter) is one more equality; several are filtered here.
    const only = branches?.size === 1 ? { branch: [...branches][0] as string } : {};
    const projection = { parts: 0, [args.scope === 'all' ? 'products' : 'all']: 0 };
    const whole = new Set(plan.months);
    await Promise.all([
      ...[...new Set(plan.months.map((ym) => Number(ym.slice(0, 4))))].map(async (year) => {
        for (const d of await this.months.find({ dim: args.dim, year, ...only }, { projection }).toArray())
          if (whole.has(d.ym)) collect(d.branch, decodeEntries(d[args.scope]));
      }),
      ...plan.dayMonths.map(async (ym) => {
        for (const d of await this.days.find({ dim: args.dim, ym, ...only }, { projection }).toArray())
          collect(d.branch, addEncodedDayEntries(new Map<string, SummaryEntry>(), d[args.scope], inRange));
      }),
      forEachLimited(plan.dates, READ_CONCURRENCY, async (date) => {
        for (const d of await this.currentSummariesOfDate(date, args.dim, args.scope, branches))
          collect(d.branch, decodeEntries(d[args.scope]));
      }),
    ]);

    const rows: SummarySums[] = [];
    for (const table of out.values())
      for (const e of table.values())
        rows.push({ key: e.key, salesE4: e.salesE4, quantity: e.quantityE4 / 10_000, receipts: e.receipts });
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** `YYYY-MM` of the range's months that one of `branches` has marked dirty (one `{year}` read per year). */
  private async pendingMonths(
    from: string,
    to: string,
    branches: ReadonlySet<string> | undefined,
  ): Promise<Set<string>> {
    const first = from.slice(0, 7);
    const last = to.slice(0, 7);
    const pending = new Set<string>();
    await Promise.all(
      yearsOf(from, to).map(async (year) => {
        const marks = await this.dirty.find({ year }, { projection: { branch: 1, ym: 1 } }).toArray();
        for (const m of marks)
          if (m.ym >= first && m.ym <= last && (!branches || branches.has(m.branch))) pending.add(m.ym);
      }),
    );
    return pending;
  }

  /** One date's partition summaries of the current generations (a consistent snapshot). */
  private async currentSummariesOfDate(
    date: string,
    dim: RollupDimension,
    scope: RollupScope,
    branches: ReadonlySet<string> | undefined,
  ): Promise<PartitionSummaryDoc[]> {
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const before = await this.generationsOfDate(date);
      const docs = await this.parts
        .find({ dim, date }, { projection: { [scope === 'all' ? 'products' : 'all']: 0 } })
        .toArray();
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
