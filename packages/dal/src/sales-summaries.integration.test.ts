import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  Collections,
  ROLLUP_DIMENSIONS,
  partitionId,
  type PartitionKey,
  type RollupDoc,
} from '@posflow/contracts';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import { ensureDataIndexes } from './data-indexes.js';
import { ensureCoreIndexes } from './indexes.js';
import { PartitionsRepository } from './partitions.repository.js';
import { SalesSummariesRepository } from './sales-summaries.repository.js';

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
  let summaries: SalesSummariesRepository;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUrl().url, createLogger('t', 'silent'));
    await ensureCoreIndexes(mongo.db);
    await ensureDataIndexes(mongo.db);
    parts = new PartitionsRepository(mongo.db);
    summaries = new SalesSummariesRepository(mongo.db);
  });
  afterAll(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  async function loadGeneration(key: PartitionKey, generation: number, salesE4: number): Promise<void> {
    const docs = rollups(key, generation, salesE4, 2);
    await mongo.db.collection<RollupDoc>(Collections.rollups).insertMany(docs);
    await summaries.insertGeneration(key, generation, docs);
    await parts.col.updateOne(
      { _id: partitionId(key) },
      { $set: { status: 'loaded', generation, claimedGeneration: generation } },
    );
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
    const [month] = await summaries.sums({
      from: '2026-03-01',
      to: '2026-03-31',
      branches: ['CONC'],
      dim: 'product',
      scope: 'all',
      field: 'key',
    });
    expect(month).toEqual({ key: 'K', salesE4: expected, quantity: 8, receipts: 16 });
    // the same figure from the partition summaries, date by date
    const [days] = await summaries.sums({
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
    const byDate = await summaries.sums({ ...base, field: 'date' });
    expect(byDate.map((r) => [r.key, r.salesE4])).toEqual([
      ['2026-04-30', 101],
      ['2026-05-01', 101],
      ['2026-05-15', 101],
      ['2026-05-31', 101],
      ['2026-06-01', 101],
    ]);
    const byBranch = await summaries.sums({ ...base, field: 'branch' });
    expect(byBranch.map((r) => [r.key, r.salesE4, r.receipts])).toEqual([
      ['GA', 500, 10],
      ['GB', 5, 10],
    ]);
    const byWeekday = await summaries.sums({ ...base, field: 'weekday', branches: ['GB'] });
    expect(byWeekday.reduce((s, r) => s + r.salesE4, 0)).toBe(5);
    const cut = await summaries.sums({ ...base, from: '2026-05-02', to: '2026-05-31', field: null });
    expect(cut).toEqual([{ key: '', salesE4: 202, quantity: 4, receipts: 8 }]);
    // other dimensions: the month minus the day outside the range (05-01) …
    const hour = { dim: 'hour', scope: 'all', field: 'key' } as const;
    expect(await summaries.sums({ ...hour, from: '2026-05-02', to: '2026-05-31' })).toEqual([
      { key: 'K', salesE4: 202, quantity: 4, receipts: 8 },
    ]);
    // … or the loose days' own partition summaries when they are fewer
    expect(await summaries.sums({ ...hour, from: '2026-05-14', to: '2026-05-16', branches: ['GA'] })).toEqual(
      [{ key: 'K', salesE4: 100, quantity: 1, receipts: 2 }],
    );
    expect(await summaries.sums({ ...hour, from: '2026-04-30', to: '2026-05-01' })).toEqual([
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
    expect(await summaries.sums(month)).toEqual(fresh);
    expect(await summaries.sums({ ...month, from: '2026-08-02', to: '2026-08-31' })).toEqual(fresh);
    expect(await summaries.rebuildDirtyMonths()).toBeGreaterThanOrEqual(1);
    expect(await summaries.sums(month)).toEqual(fresh);
    expect(await mongo.db.collection(Collections.monthSummaryDirty).countDocuments({ branch: 'DIRTY' })).toBe(0);
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
    const [r] = await summaries.sums({
      from: '2026-07-01',
      to: '2026-07-31',
      dim: 'hour',
      scope: 'all',
      field: 'key',
    });
    expect(r).toEqual({ key: 'K', salesE4: 777, quantity: 1, receipts: 3 });
  });
});
