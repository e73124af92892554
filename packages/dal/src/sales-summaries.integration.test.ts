import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  Collections,
  ROLLUP_DIMENSIONS,
  SUMMARY_LAYOUT,
  daySummaryCollection,
  partitionId,
  type DaySummaryDoc,
  type MonthSummaryDirtyDoc,
  type MonthSummaryHeadDoc,
  type PartitionKey,
  type RollupDoc,
} from '@posflow/contracts';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import { ensureDataIndexes } from './data-indexes.js';
import { ensureCoreIndexes } from './indexes.js';
import { PartitionsRepository } from './partitions.repository.js';
import { SalesSummariesReader, type SummarySumsArgs } from './sales-summaries-reader.repository.js';
import { SalesSummariesWriter } from './sales-summaries-writer.repository.js';

/** Day rollups of one generation: one key per dimension, sales `salesE4`, `receipts` receipts. */
function rollups(key: PartitionKey, generation: number, salesE4: number, receipts: number): RollupDoc[] {
  const pid = partitionId(key);
  const pg = `${pid}#${generation}`;
  const d = new Date(`${key.date}T00:00:00Z`);
  return ROLLUP_DIMENSIONS.flatMap((dim) =>
    (['all', 'products'] as const).map((scope) => ({
      _id: `${pg}:${dim}:${scope}`,
      partitionId: pid,
      generation,
      pg,
      ...key,
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      weekday: d.getUTCDay(),
      dim,
      key: dim === 'day' ? key.date : 'K',
      scope,
      salesE4,
      discountE4: 0,
      quantity: 1,
      lines: 1,
      receipts,
    })),
  );
}

describe('sales summaries on the real database', () => {
  let mongo: MongoHandle;
  let parts: PartitionsRepository;
  let summaries: SalesSummariesWriter;
  let reports: SalesSummariesReader;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUrl().url, createLogger('t', 'silent'));
    await ensureCoreIndexes(mongo.db);
    await ensureDataIndexes(mongo.db);
    parts = new PartitionsRepository(mongo.db);
    summaries = new SalesSummariesWriter(mongo.db);
    reports = new SalesSummariesReader(mongo.db);
  });
  afterAll(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  /** The partition's generation made current (the importer's swap, without its rows). */
  async function markLoaded(key: PartitionKey, generation: number): Promise<void> {
    await parts.col.updateOne(
      { _id: partitionId(key) },
      { $set: { status: 'loaded', generation, claimedGeneration: generation } },
    );
  }

  async function loadGeneration(key: PartitionKey, generation: number, salesE4: number): Promise<void> {
    const docs = rollups(key, generation, salesE4, 2);
    await mongo.db.collection<RollupDoc>(Collections.rollups).insertMany(docs);
    await summaries.insertGeneration(key, generation, docs);
    await markLoaded(key, generation);
  }

  test('concurrent loads of one month each rebuild it; the last rebuild sums every current generation', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => ({
      branch: 'CONC',
      pos: 1 + (i % 2),
      date: `2026-03-0${1 + Math.floor(i / 2)}`,
    }));
    await parts.register(keys, undefined);
    // eight "importers" each load a partition and rebuild the month at once; then half of them reload
    await Promise.all(
      keys.map(async (k, i) => {
        await loadGeneration(k, 1, 10_000 * (i + 1));
        await summaries.refreshMonth('CONC', '2026-03');
      }),
    );
    await Promise.all(
      keys
        .filter((_, i) => i % 2 === 0)
        .map(async (k, i) => {
          await loadGeneration(k, 2, 1_000_000 + i);
          await summaries.refreshMonth('CONC', '2026-03');
        }),
    );
    const expected = keys.reduce((s, _k, i) => s + (i % 2 === 0 ? 1_000_000 + i / 2 : 10_000 * (i + 1)), 0);
    const [month] = await reports.sums({
      from: '2026-03-01',
      to: '2026-03-31',
      branches: ['CONC'],
      dim: 'product',
      scope: 'all',
      field: 'key',
    });
    expect(month).toEqual({ key: 'K', salesE4: expected, quantity: 8, receipts: 16 });
    // the same figure from the partition summaries, date by date
    const [days] = await reports.sums({
      from: '2026-03-01',
      to: '2026-03-30',
      branches: ['CONC'],
      dim: 'product',
      scope: 'all',
      field: 'key',
    });
    expect(days).toEqual(month);
    expect(await summaries.refreshMonth('CONC', '2026-03')).toBe('unchanged');
  });

  test('groupings by date, weekday and branch; a range cut mid-month mixes month and day reads', async () => {
    const keys = ['2026-04-30', '2026-05-01', '2026-05-15', '2026-05-31', '2026-06-01'].flatMap((date) =>
      ['GA', 'GB'].map((branch) => ({ branch, pos: 1, date })),
    );
    await parts.register(keys, undefined);
    for (const k of keys) await loadGeneration(k, 1, k.branch === 'GA' ? 100 : 1);
    await summaries.refreshMonths([
      'GA|2026-04',
      'GA|2026-05',
      'GA|2026-06',
      'GB|2026-04',
      'GB|2026-05',
      'GB|2026-06',
    ]);
    const base = { from: '2026-04-30', to: '2026-06-01', dim: 'day', scope: 'products' } as const;
    const byDate = await reports.sums({ ...base, field: 'date' });
    expect(byDate.map((r) => [r.key, r.salesE4])).toEqual([
      ['2026-04-30', 101],
      ['2026-05-01', 101],
      ['2026-05-15', 101],
      ['2026-05-31', 101],
      ['2026-06-01', 101],
    ]);
    const byBranch = await reports.sums({ ...base, field: 'branch' });
    expect(byBranch.map((r) => [r.key, r.salesE4, r.receipts])).toEqual([
      ['GA', 500, 10],
      ['GB', 5, 10],
    ]);
    const byWeekday = await reports.sums({ ...base, field: 'weekday', branches: ['GB'] });
    expect(byWeekday.reduce((s, r) => s + r.salesE4, 0)).toBe(5);
    const cut = await reports.sums({ ...base, from: '2026-05-02', to: '2026-05-31', field: null });
    expect(cut).toEqual([{ key: '', salesE4: 202, quantity: 4, receipts: 8 }]);
    // other dimensions: the month's day summaries without the day outside the range (05-01), …
    const hour = { dim: 'hour', scope: 'all', field: 'key' } as const;
    expect(await reports.sums({ ...hour, from: '2026-05-02', to: '2026-05-31' })).toEqual([
      { key: 'K', salesE4: 202, quantity: 4, receipts: 8 },
    ]);
    // … however few the loose days
    expect(await reports.sums({ ...hour, from: '2026-05-15', to: '2026-05-16', branches: ['GA'] })).toEqual([
      { key: 'K', salesE4: 100, quantity: 1, receipts: 2 },
    ]);
    expect(await reports.sums({ ...hour, from: '2026-04-30', to: '2026-05-01' })).toEqual([
      { key: 'K', salesE4: 202, quantity: 4, receipts: 8 },
    ]);
  });

  test('loads mark their month dirty; one rebuild serves them all and clears the marks', async () => {
    const keys = [1, 2].map((pos) => ({ branch: 'DIRTY', pos, date: '2026-08-03' }));
    await parts.register(keys, undefined);
    for (const k of keys) {
      await loadGeneration(k, 1, 50);
      await summaries.markMonthDirty(k.branch, '2026-08', `${partitionId(k)}#1`);
      await summaries.markMonthDirty(k.branch, '2026-08', `${partitionId(k)}#1`); // a redelivery: idempotent
    }
    const month = { from: '2026-08-01', to: '2026-08-31', dim: 'day', scope: 'all', field: null } as const;
    // before the rebuild the month is read day by day (it has pending marks): a report never lags a load
    const fresh = [{ key: '', salesE4: 100, quantity: 2, receipts: 4 }];
    expect(await reports.sums(month)).toEqual(fresh);
    expect(await reports.sums({ ...month, from: '2026-08-02', to: '2026-08-31' })).toEqual(fresh);
    expect(await summaries.rebuildDirtyMonths()).toBeGreaterThanOrEqual(1);
    expect(await reports.sums(month)).toEqual(fresh);
    expect(await mongo.db.collection(Collections.monthSummaryDirty).countDocuments({ branch: 'DIRTY' })).toBe(
      0,
    );
  });

  test('a generation loaded before summaries existed gets them from its rollups at the month rebuild', async () => {
    const key = { branch: 'OLD', pos: 1, date: '2026-07-04' };
    await parts.register([key], undefined);
    await mongo.db.collection<RollupDoc>(Collections.rollups).insertMany(rollups(key, 1, 777, 3));
    await parts.col.updateOne(
      { _id: partitionId(key) },
      { $set: { status: 'loaded', generation: 1, claimedGeneration: 1 } },
    );
    expect(await summaries.refreshMonth('OLD', '2026-07')).toBe('rebuilt');
    const [r] = await reports.sums({
      from: '2026-07-01',
      to: '2026-07-31',
      dim: 'hour',
      scope: 'all',
      field: 'key',
    });
    expect(r).toEqual({ key: 'K', salesE4: 777, quantity: 1, receipts: 3 });
  });

  describe('day summaries: ranges cut mid-month', () => {
    // years no other test here loads, so a report over all branches sees only these
    const BRANCHES = ['DA', 'DB', 'DC'];
    /** Every date of the two windows (this year and the year before), per branch and terminal. */
    const keys = ['2027', '2028'].flatMap((y) =>
      Array.from({ length: 45 }, (_, i) =>
        new Date(Date.UTC(Number(y), 0, 20 + i)).toISOString().slice(0, 10),
      ).flatMap((date) => BRANCHES.flatMap((branch) => [1, 2].map((pos) => ({ branch, pos, date })))),
    );
    /** partitionId → the current generation's rollups (what the partition's rows sum to). */
    const current = new Map<string, RollupDoc[]>();

    /** A generation's rollups: a few keys per dimension (one with a tab), amounts varying by partition and key. */
    function variedRollups(key: PartitionKey, generation: number): RollupDoc[] {
      const pid = partitionId(key);
      const pg = `${pid}#${generation}`;
      const d = new Date(`${key.date}T00:00:00Z`);
      const seed = [...`${pg}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 7);
      const keysOf = (dim: string): string[] =>
        dim === 'day'
          ? [key.date]
          : dim === 'product'
            ? ['P1', 'P2', 'TAB\tP3']
            : dim === 'hour'
              ? ['9', '13']
              : ['K'];
      return ROLLUP_DIMENSIONS.flatMap((dim) =>
        keysOf(dim).flatMap((k, i) =>
          (['all', 'products'] as const).map((scope) => {
            const n = seed + i * 17 + (scope === 'all' ? 3 : 0);
            return {
              _id: `${pg}:${dim}:${scope}:${k}`,
              partitionId: pid,
              generation,
              pg,
              ...key,
              year: d.getUTCFullYear(),
              month: d.getUTCMonth() + 1,
              weekday: d.getUTCDay(),
              dim,
              key: k,
              scope,
              // exact ten-thousandths: large and not round, so a float path would show
              salesE4: 123_456_789_0123 + n * 9_999,
              discountE4: n % 7,
              quantity: (n % 40) / 4 + 0.0025,
              lines: 1 + (n % 5),
              receipts: 1 + (n % 3),
            };
          }),
        ),
      );
    }

    /** The report figures straight from the current generations' rollups. */
    function expected(args: SummarySumsArgs): unknown[] {
      const groups = new Map<
        string,
        { key: string; salesE4: number; quantityE4: number; receipts: number }
      >();
      for (const rs of current.values())
        for (const r of rs) {
          if (r.dim !== args.dim || r.scope !== args.scope || r.date < args.from || r.date > args.to)
            continue;
          if (args.branches && !args.branches.includes(r.branch)) continue;
          const key =
            args.field === null
              ? ''
              : args.field === 'branch'
                ? r.branch
                : args.field === 'weekday'
                  ? String(r.weekday)
                  : r.key;
          const g = groups.get(key) ?? { key, salesE4: 0, quantityE4: 0, receipts: 0 };
          g.salesE4 += r.salesE4;
          g.quantityE4 += Math.round(r.quantity * 10_000);
          g.receipts += r.receipts;
          groups.set(key, g);
        }
      return [...groups.values()]
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((g) => ({
          key: g.key,
          salesE4: g.salesE4,
          quantity: g.quantityE4 / 10_000,
          receipts: g.receipts,
        }));
    }

    /** Mid-month cuts, a couple of loose days at either end of a whole month, one day. */
    const RANGES = [
      ['2028-01-25', '2028-03-04'],
      ['2028-01-21', '2028-02-19'],
      ['2028-02-27', '2028-03-01'],
      ['2028-02-10', '2028-02-10'],
    ] as const;
    const SCOPES = [undefined, ['DB'], ['DA', 'DC']];
    const GROUPINGS = [
      { dim: 'product', field: 'key', scope: 'all' },
      { dim: 'day', field: null, scope: 'all' },
      { dim: 'day', field: 'date', scope: 'products' },
      { dim: 'day', field: 'branch', scope: 'all' },
      { dim: 'day', field: 'weekday', scope: 'all' },
      { dim: 'hour', field: 'key', scope: 'products' },
    ] as const;

    /** Every range, this year and the year before (compare=previous-year), for every branch scope. */
    async function checkAll(): Promise<void> {
      let i = 0;
      for (const [from, to] of RANGES)
        for (const branches of SCOPES)
          for (const period of [
            [from, to],
            [`2027${from.slice(4)}`, `2027${to.slice(4)}`],
          ] as const) {
            const grouping = GROUPINGS[i++ % GROUPINGS.length] as (typeof GROUPINGS)[number];
            const args: SummarySumsArgs = { from: period[0], to: period[1], branches, ...grouping };
            expect(await reports.sums(args), JSON.stringify(args)).toEqual(expected(args));
          }
    }

    async function load(list: readonly PartitionKey[], generation: number): Promise<void> {
      const rollupsOf = list.map((k) => variedRollups(k, generation));
      await summaries.insertFromRollups(rollupsOf.flat(), { refresh: false });
      for (const [i, k] of list.entries()) {
        await markLoaded(k, generation);
        await summaries.markMonthDirty(k.branch, k.date.slice(0, 7), `${partitionId(k)}#${generation}`);
        current.set(partitionId(k), rollupsOf[i] as RollupDoc[]);
      }
    }

    beforeAll(async () => {
      await parts.register(keys, undefined);
      await load(keys, 1);
    });

    test('with every month pending (marked dirty, not rebuilt): read from partition summaries, exact', async () => {
      await checkAll();
    });

    test('rebuilt: loose days from the day summaries, same figures; one day summary per branch, month and dimension', async () => {
      await summaries.rebuildDirtyMonths();
      expect(await mongo.db.collection(Collections.monthSummaryDirty).countDocuments({ year: 2028 })).toBe(0);
      // one collection per month
      const jan = mongo.db.collection<DaySummaryDoc>(daySummaryCollection('2028-01'));
      expect(await jan.countDocuments({ dim: 'product', scope: 'all' })).toBe(3);
      expect(await jan.countDocuments()).toBe(3 * 8 * 2);
      const feb = mongo.db.collection<DaySummaryDoc>(daySummaryCollection('2028-02'));
      const da = await feb.findOne({ _id: 'DA|2028-02|hour|all' });
      expect(da?.entries.split('\n')).toHaveLength(29 * 2); // a leap February, two hours a day
      expect(da?.entries.startsWith('2028-02-01\t13\t')).toBe(true);
      await checkAll();
    });

    test('a reload marks its month pending: that month is read from partition summaries until rebuilt', async () => {
      // a loose day of a cut month, and a day of a whole month, both reloaded with other figures
      const reloaded = keys.filter(
        (k) =>
          k.branch === 'DB' &&
          (k.date === '2028-01-27' || k.date === '2028-02-15' || k.date === '2027-03-02'),
      );
      await load(reloaded, 2);
      expect(
        await mongo.db.collection(Collections.monthSummaryDirty).countDocuments({ year: 2028, branch: 'DB' }),
      ).toBe(4);
      await checkAll();
      await summaries.rebuildDirtyMonths();
      await checkAll();
    });

    test('loose days come from the day summaries alone once rebuilt (partition summaries no longer read)', async () => {
      // drop the partition summaries of DA's loose January days: the day summaries still answer
      await summaries.parts.deleteMany({ branch: 'DA', ym: '2028-01' });
      const args: SummarySumsArgs = {
        from: '2028-01-25',
        to: '2028-01-31',
        branches: ['DA'],
        dim: 'product',
        scope: 'all',
        field: 'key',
      };
      expect(await reports.sums(args)).toEqual(expected(args));
    });

    test('months an older layout rebuilt (no day summaries) are marked dirty by the first rebuild of a process', async () => {
      const heads = mongo.db.collection<MonthSummaryHeadDoc>(Collections.monthSummaryHeads);
      await heads.updateOne({ _id: 'DC|2028-02' }, { $unset: { layout: '' } });
      await mongo.db.collection(daySummaryCollection('2028-02')).deleteMany({ branch: 'DC' });
      const fresh = new SalesSummariesWriter(mongo.db);
      const marks = mongo.db.collection<MonthSummaryDirtyDoc>(Collections.monthSummaryDirty);
      // the marks an upgraded importer leaves before its first rebuild: reports still answer (cut days date by date)
      await marks.insertOne({
        _id: 'DC|2028-02|layout2',
        branch: 'DC',
        year: 2028,
        ym: '2028-02',
        kind: 'layout',
        at: new Date(),
      });
      const cut: SummarySumsArgs = {
        from: '2028-02-03',
        to: '2028-03-04',
        branches: ['DC'],
        dim: 'product',
        scope: 'all',
        field: 'key',
      };
      expect(await reports.sums(cut)).toEqual(expected(cut));
      await marks.deleteOne({ _id: 'DC|2028-02|layout2' });
      expect(await fresh.rebuildDirtyMonths()).toBe(1);
      expect((await heads.findOne({ _id: 'DC|2028-02' }))?.layout).toBe(SUMMARY_LAYOUT);
      const args: SummarySumsArgs = {
        from: '2028-02-03',
        to: '2028-02-20',
        branches: ['DC'],
        dim: 'day',
        scope: 'all',
        field: 'date',
      };
      expect(await reports.sums(args)).toEqual(expected(args));
      expect(await fresh.rebuildDirtyMonths()).toBe(0);
    });
  });
});
