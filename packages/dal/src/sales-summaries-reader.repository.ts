import type { Collection, Db } from 'mongodb';
import {
  Collections,
  daySummaryCollection,
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

/** Dates of a pending month read at once (the database overlaps them). */
const READ_CONCURRENCY = 8;

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
 * Every read is an equality: `{dim, year}` for whole months, `{dim}` in a
 * month's day-summary collection for its loose days, `{dim, date}` and
 * `{date}` for a date read from partition summaries, `{year}` for the dirty
 * marks. MongoDB serves them from indexes. FerretDB 1.24 runs each as a scan
 * of its whole collection (a filter becomes `_jsonb->'field' @> value`, which
 * no index serves), so what a read costs there is the size of the collection
 * it reads: 4 MB of month summaries for 14 months of 30 branches, 2 MB for
 * one month's day summaries, 260 MB of partition summaries.
 */
export class SalesSummariesReader {
  private readonly parts: Collection<PartitionSummaryDoc>;
  private readonly months: Collection<MonthSummaryDoc>;
  private readonly dirty: Collection<MonthSummaryDirtyDoc>;
  private readonly partitions: Collection<PartitionDoc>;

  constructor(private readonly db: Db) {
    this.parts = db.collection(Collections.partitionSummaries);
    this.months = db.collection(Collections.monthSummaries);
    this.dirty = db.collection(Collections.monthSummaryDirty);
    this.partitions = db.collection(Collections.partitions);
  }

  /**
   * Sums of one dimension over a range, grouped by `field` (null: one total).
   * Whole months come from the month summaries, the loose days of a cut
   * month from its day summaries. A month with a pending rebuild (a dirty
   * mark) is read date by date from the current generations' partition
   * summaries (read between two reads of the date's generations, and redone
   * if a load flipped one in between), so a report never lags a finished load.
   */
  async sums(args: SummarySumsArgs): Promise<SummarySums[]> {
    const [rows] = await this.sumsBy(args, [args.field]);
    return rows as SummarySums[];
  }

  /**
   * `sums` for several groupings of the same dimension from one set of reads
   * (a report grouped by day, weekday or branch and its totals all read the
   * `day` summaries); one list of sums per field, in the order given.
   */
  async sumsBy(
    args: Omit<SummarySumsArgs, 'field'>,
    fields: readonly SummaryGroupField[],
  ): Promise<SummarySums[][]> {
    const branches = args.branches ? new Set(args.branches) : undefined;
    const marked = await this.markedMonths(args.from, args.to, branches);
    const plan = planSummaryReads(args.from, args.to, marked.pending, marked.withoutDays);
    const inRange = (date: string) => date >= args.from && date <= args.to;
    const out = fields.map(() => new Map<string, SummaryEntry>());
    /** Adds one branch's entries to each grouping (`day` entries are keyed by date: outside the range they are skipped). */
    const collect = (branch: string, table: SummaryTable): void => {
      if (branches && !branches.has(branch)) return;
      for (const e of table.values()) {
        if (args.dim === 'day' && !inRange(e.key)) continue;
        if (e.lines === 0) continue;
        fields.forEach((field, i) => {
          const into = out[i] as SummaryTable;
          switch (field) {
            case null:
              addEntry(into, { ...e, key: '' });
              break;
            case 'key':
            case 'date':
              addEntry(into, e);
              break;
            case 'branch':
              addEntry(into, { ...e, key: branch });
              break;
            case 'weekday':
              addEntry(into, { ...e, key: weekdayOf(e.key) });
              break;
          }
        });
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
        const days = this.db.collection<DaySummaryDoc>(daySummaryCollection(ym));
        for (const d of await days
          .find({ dim: args.dim, scope: args.scope, ...only }, { projection: { parts: 0 } })
          .toArray())
          collect(d.branch, addEncodedDayEntries(new Map<string, SummaryEntry>(), d.entries, inRange));
      }),
      forEachLimited(plan.dates, READ_CONCURRENCY, async (date) => {
        for (const d of await this.currentSummariesOfDate(date, args.dim, args.scope, branches))
          collect(d.branch, decodeEntries(d[args.scope]));
      }),
    ]);

    return out.map((table) =>
      [...table.values()]
        .map((e) => ({
          key: e.key,
          salesE4: e.salesE4,
          quantity: e.quantityE4 / 10_000,
          receipts: e.receipts,
        }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    );
  }

  /**
   * `YYYY-MM` of the range's months with a dirty mark of one of `branches`
   * (one `{year}` read per year): `pending` a load's, `withoutDays` an older
   * layout's (month summaries current, day summaries not yet written).
   */
  private async markedMonths(
    from: string,
    to: string,
    branches: ReadonlySet<string> | undefined,
  ): Promise<{ pending: Set<string>; withoutDays: Set<string> }> {
    const first = from.slice(0, 7);
    const last = to.slice(0, 7);
    const out = { pending: new Set<string>(), withoutDays: new Set<string>() };
    await Promise.all(
      yearsOf(from, to).map(async (year) => {
        const marks = await this.dirty
          .find({ year }, { projection: { branch: 1, ym: 1, kind: 1 } })
          .toArray();
        for (const m of marks)
          if (m.ym >= first && m.ym <= last && (!branches || branches.has(m.branch)))
            (m.kind === 'layout' ? out.withoutDays : out.pending).add(m.ym);
      }),
    );
    return out;
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
