import { MongoServerError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import {
  Collections,
  ROLLUP_DIMENSIONS,
  SUMMARY_LAYOUT,
  daySummaryCollection,
  partitionId,
  type DaySummaryDoc,
  type MonthSummaryDirtyDoc,
  type MonthSummaryDoc,
  type MonthSummaryHeadDoc,
  type PartitionDoc,
  type PartitionKey,
  type PartitionSummaryDoc,
  type RollupDoc,
  type RollupScope,
} from '@posflow/contracts';
import { duplicateKeyCount } from './duplicate-keys.js';
import { pgOf } from './generation-snapshot.js';
import { currentGenerations, monthSummaryDocs, sumMonth, type MonthTables } from './month-summary-docs.js';
import { RevisionClaims } from './revision-claims.js';
import { REBUILD_NOW, dueMonths, type RebuildPolicy } from './summary-plan.js';
import { packRollups } from './summary-entries.js';

/** What one branch-month's rebuild reads: its head, then its current generations and partition summaries. */
interface MonthSources {
  head: MonthSummaryHeadDoc | null;
  current: Map<string, number>;
  /** The month's partition summaries of the branch (any generation); undefined: read them. */
  docs: PartitionSummaryDoc[] | undefined;
}

/**
 * What the importer (and seeds) write of the sales summaries: partition
 * summaries with each load, dirty marks, and the month and day summaries
 * rebuilt from them. Reports read them through `SalesSummariesReader`.
 */
export class SalesSummariesWriter {
  readonly parts: Collection<PartitionSummaryDoc>;
  readonly months: Collection<MonthSummaryDoc>;
  private readonly heads: Collection<MonthSummaryHeadDoc>;
  private readonly dirty: Collection<MonthSummaryDirtyDoc>;
  private readonly partitions: Collection<PartitionDoc>;
  private readonly rollups: Collection<RollupDoc>;
  private readonly claims: RevisionClaims;
  /** Heads of an older layout were marked dirty (once per process, see `rebuildDirtyMonths`). */
  private layoutChecked = false;

  constructor(private readonly db: Db) {
    this.parts = db.collection(Collections.partitionSummaries);
    this.months = db.collection(Collections.monthSummaries);
    this.heads = db.collection(Collections.monthSummaryHeads);
    this.dirty = db.collection(Collections.monthSummaryDirty);
    this.partitions = db.collection(Collections.partitions);
    this.rollups = db.collection(Collections.rollups);
    this.claims = new RevisionClaims(
      db.collection(Collections.monthSummaryRevs),
      async (id) => (await this.heads.findOne({ _id: id }, { projection: { rev: 1 } }))?.rev ?? 0,
      { label: 'month summary', releasePrevious: true },
    );
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
    await this.insertGenerationDocs(SalesSummariesWriter.partitionDocs(key, generation, rollups));
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
      return SalesSummariesWriter.partitionDocs(r, r.generation, rs);
    });
    for (let i = 0; i < docs.length; i += 1_000) await this.insertGenerationDocs(docs.slice(i, i + 1_000));
    const months = [
      ...new Set([...byPg.values()].map((rs) => `${rs[0]?.branch}|${rs[0]?.date.slice(0, 7)}`)),
    ];
    if (opts.refresh !== false) await this.refreshMonths(months);
    return months;
  }

  async deleteGeneration(pg: string): Promise<number> {
    return (await this.parts.deleteMany({ pg })).deletedCount;
  }

  /**
   * Records that a load changed (branch, month): one insert, idempotent per
   * generation. The month is rebuilt by `rebuildDirtyMonths` (the importers
   * run it every few seconds), so a burst of loads of one month costs one
   * rebuild, not one each, and a crash leaves the mark for the next run.
   */
  async markMonthDirty(branch: string, ym: string, pg: string): Promise<void> {
    await this.insertMark({
      _id: `${branch}|${ym}|${pg}`,
      branch,
      year: Number(ym.slice(0, 4)),
      ym,
      at: new Date(),
    });
  }

  /**
   * Rebuilds the months marked dirty that `policy` says are due (every one
   * by default), once each, then removes the marks it read (a mark made
   * during the rebuild stays for the next run). The due branches of one
   * month are rebuilt from one read of its partitions and partition
   * summaries (FerretDB 1.24 scans a collection for every filter, so a read
   * per branch would cost branches × the collection). Several importers may
   * run this at once: each branch-month's rebuild is revision-claimed.
   * Returns the months rebuilt or found unchanged. The first run of a process
   * also marks the months whose summaries an older layout wrote (no day
   * summaries yet): reports read those from partition summaries until rebuilt.
   */
  async rebuildDirtyMonths(policy: RebuildPolicy = REBUILD_NOW, now?: Date): Promise<number> {
    if (!this.layoutChecked) {
      await this.markOlderLayouts();
      this.layoutChecked = true;
    }
    const marks = await this.dirty.find({}, { projection: { branch: 1, ym: 1, at: 1 } }).toArray();
    let rebuilt = 0;
    for (const [ym, branches] of dueMonths(marks, policy, now ?? new Date())) {
      const sources = await this.monthSources(ym, [...branches.keys()]);
      for (const [branch, ids] of branches) {
        await this.refreshMonth(branch, ym, sources.get(branch));
        await this.dirty.deleteMany({ _id: { $in: ids } });
        rebuilt++;
      }
    }
    return rebuilt;
  }

  /** `refreshMonth` for each `<branch>|<YYYY-MM>`. */
  async refreshMonths(months: Iterable<string>): Promise<void> {
    for (const m of months) {
      const cut = m.lastIndexOf('|');
      await this.refreshMonth(m.slice(0, cut), m.slice(cut + 1));
    }
  }

  /**
   * Rebuilds the month and day summaries of (branch, `YYYY-MM`) from the
   * current generations' partition summaries. Concurrent rebuilds of one
   * month are ordered by the head's revision: a rebuild reads the head
   * before its sources and claims revision + 1 before writing (see
   * RevisionClaims), and the head is written last, so the final write always
   * saw every load that had flipped before it. A loser re-reads and
   * rebuilds. Nothing to do when the head already lists the same generations
   * in the current layout. A generation loaded before summaries existed gets
   * its partition summaries built from its rollups here. `prefetched`
   * (read in that same order, head first) serves the first attempt.
   */
  async refreshMonth(
    branch: string,
    ym: string,
    prefetched?: MonthSources,
  ): Promise<'rebuilt' | 'unchanged'> {
    const headId = `${branch}|${ym}`;
    return this.claims.run<'rebuilt' | 'unchanged'>(headId, async (attempt) => {
      const src =
        attempt === 0 && prefetched
          ? prefetched
          : {
              head: await this.heads.findOne({ _id: headId }),
              current: await this.currentOfMonth(branch, ym),
              docs: undefined,
            };
      const { head, current } = src;
      const rev = head?.rev ?? 0;
      const parts = [...current]
        .map(([id, g]) => pgOf(id, g))
        .sort()
        .join(',');
      if (head && head.parts === parts && head.layout === SUMMARY_LAYOUT) return { done: 'unchanged' };
      const tables = await this.monthTables(branch, ym, current, src.docs);
      return {
        rev,
        write: async () => {
          await this.writeSummaries(branch, ym, parts, tables);
          await this.heads.replaceOne(
            { _id: headId },
            { rev: rev + 1, parts, layout: SUMMARY_LAYOUT, updatedAt: new Date() },
            { upsert: true },
          );
          return 'rebuilt';
        },
      };
    });
  }

  /**
   * What `refreshMonth` reads, for several branches of one month at once:
   * the heads first, then each branch's current generations and partition
   * summaries, one query per collection.
   */
  private async monthSources(ym: string, branches: string[]): Promise<Map<string, MonthSources>> {
    const heads = await this.heads.find({ _id: { $in: branches.map((b) => `${b}|${ym}`) } }).toArray();
    const partitions = await this.partitions
      .find({ branch: { $in: branches } }, { projection: { branch: 1, date: 1, generation: 1 } })
      .toArray();
    const docsOf = new Map<string, PartitionSummaryDoc[]>(branches.map((b) => [b, []]));
    for (const d of await this.parts.find({ ym }).toArray()) docsOf.get(d.branch)?.push(d);
    return new Map(
      branches.map((branch) => [
        branch,
        {
          head: heads.find((h) => h._id === `${branch}|${ym}`) ?? null,
          current: currentGenerations(
            partitions.filter((p) => p.branch === branch),
            ym,
          ),
          docs: docsOf.get(branch),
        },
      ]),
    );
  }

  /** One branch-month's day summaries, then its month summaries (every dimension and scope of each). */
  private async writeSummaries(
    branch: string,
    ym: string,
    parts: string,
    tables: MonthTables,
  ): Promise<void> {
    const upsert = <T extends { _id: string }>(doc: T): AnyBulkWriteOperation<T> => ({
      replaceOne: { filter: { _id: doc._id } as never, replacement: doc, upsert: true },
    });
    const { days, months } = monthSummaryDocs(branch, ym, parts, tables, new Date());
    await this.db.collection<DaySummaryDoc>(daySummaryCollection(ym)).bulkWrite(days.map(upsert));
    await this.months.bulkWrite(months.map(upsert));
  }

  /** Marks every month whose head an older layout wrote (or that has none of the current layout) dirty. */
  private async markOlderLayouts(): Promise<void> {
    const heads = await this.heads.find({}, { projection: { layout: 1 } }).toArray();
    for (const h of heads) {
      if (h.layout === SUMMARY_LAYOUT) continue;
      const cut = h._id.lastIndexOf('|');
      const ym = h._id.slice(cut + 1);
      await this.insertMark({
        _id: `${h._id}|layout${SUMMARY_LAYOUT}`,
        branch: h._id.slice(0, cut),
        year: Number(ym.slice(0, 4)),
        ym,
        kind: 'layout',
        at: new Date(),
      });
    }
  }

  private async insertMark(mark: MonthSummaryDirtyDoc): Promise<void> {
    try {
      await this.dirty.insertOne(mark);
    } catch (err) {
      if (!(err instanceof MongoServerError) || err.code !== 11000) throw err;
    }
  }

  /** partitionId → current generation of a branch's loaded partitions in one month (`{branch}` equality). */
  private async currentOfMonth(branch: string, ym: string): Promise<Map<string, number>> {
    const docs = await this.partitions.find({ branch }, { projection: { date: 1, generation: 1 } }).toArray();
    return currentGenerations(docs, ym);
  }

  private async monthTables(
    branch: string,
    ym: string,
    current: Map<string, number>,
    read?: PartitionSummaryDoc[],
  ): Promise<MonthTables> {
    const wanted = new Set([...current].map(([id, g]) => pgOf(id, g)));
    const docs = (read ?? (await this.parts.find({ branch, ym }).toArray())).filter((d) => wanted.has(d.pg));
    const have = new Set(docs.map((d) => d.pg));
    for (const pg of wanted) {
      if (have.has(pg)) continue;
      // Loaded before summaries existed (or their insert was lost): build them from the rollups.
      const sample = await this.partitions.findOne({ _id: pg.slice(0, pg.lastIndexOf('#')) });
      if (!sample) continue;
      const rollups = await this.rollups.find({ pg }).toArray();
      const built = SalesSummariesWriter.partitionDocs(
        sample,
        Number(pg.slice(pg.lastIndexOf('#') + 1)),
        rollups,
      );
      await this.insertGenerationDocs(built);
      docs.push(...built);
    }
    return sumMonth(docs);
  }

  private async insertGenerationDocs(docs: PartitionSummaryDoc[]): Promise<void> {
    try {
      await this.parts.insertMany(docs, { ordered: false });
    } catch (err) {
      if (duplicateKeyCount(err) === null) throw err;
    }
  }
}
