import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  Collections,
  partitionId,
  ROLLUP_DIMENSIONS,
  type ParsedRow,
  type PartitionDoc,
  type RollupDoc,
  type TransactionDoc,
} from '@posflow/contracts';
import {
  MonitorRepository,
  PartitionsRepository,
  RollupsRepository,
  SalesSummariesReader,
  SalesSummariesWriter,
  TransactionsRepository,
  ensureCoreIndexes,
  ensureDataIndexes,
  type TransactionRow,
} from '@posflow/dal';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import { rollupKey } from './domain/rollup-accumulator.js';
import { generateRows } from './testing/parsed-rows.generator.js';
import { writeArtifact } from './testing/artifact.writer.js';
import { importMessage, stageCombined } from './testing/import-message.js';
import { inProcessImporter } from './testing/harness.js';

const date = '2026-02-09';
let n = 0;
/** A fresh partition per test (tests share one database). */
const nextKey = () => ({ branch: `T${++n}`, pos: 1, date });

describe('importer against the real database', () => {
  let mongo: MongoHandle;
  let parts: PartitionsRepository;
  let tx: TransactionsRepository;
  let rollups: RollupsRepository;
  let summaries: SalesSummariesWriter;
  let reports: SalesSummariesReader;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUrl().url, createLogger('t', 'silent'));
    await ensureCoreIndexes(mongo.db);
    await ensureDataIndexes(mongo.db);
    await ensureDataIndexes(mongo.db); // idempotent
    parts = new PartitionsRepository(mongo.db);
    tx = new TransactionsRepository(mongo.db);
    rollups = new RollupsRepository(mongo.db);
    summaries = new SalesSummariesWriter(mongo.db);
    reports = new SalesSummariesReader(mongo.db);
  });
  afterAll(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  const rowsOf = (pg: string) =>
    mongo.db.collection<TransactionDoc>(Collections.transactions).find({ pg }).sort({ _id: 1 }).toArray();

  async function load(
    key: { branch: string; pos: number; date: string },
    g: number,
    rows: ParsedRow[],
    batch = 100,
  ) {
    await stageCombined(mongo.db, key, g);
    const artifact = await writeArtifact(mongo.db, key, g, rows);
    const msg = importMessage(key, g, artifact, { dropped: 2 });
    return { msg, outcome: await inProcessImporter(mongo.db, batch).run(msg) };
  }

  test('a load makes the partition loaded with its rows, counters and rollups', async () => {
    const key = nextKey();
    const rows = [...generateRows(key, { rows: 350, seed: 11 })];
    const { outcome } = await load(key, 1, rows);
    expect(outcome).toEqual({ action: 'ack' });
    const p = await parts.get(key);
    expect(p).toMatchObject({
      status: 'loaded',
      generation: 1,
      rowsLoaded: 350,
      rowsDropped: 2,
      sourceHash: 'test-source',
    });
    const docs = await rowsOf(`${partitionId(key)}#1`);
    expect(docs).toHaveLength(350);
    expect(new Set(docs.map((d) => d._id)).size).toBe(350);
    expect(docs[0]?.dateAt.toISOString()).toBe(`${date}T00:00:00.000Z`);
  });

  test('importing the same artifact twice gives the same documents (same ids), never duplicates', async () => {
    const key = nextKey();
    const rows = [...generateRows(key, { rows: 420, seed: 12 })];
    const { msg } = await load(key, 1, rows, 64);
    const first = await rowsOf(`${partitionId(key)}#1`);
    // a redelivery after the load: a late duplicate, nothing changes
    expect(await inProcessImporter(mongo.db, 64).run(msg)).toEqual({ action: 'ack' });
    // a redelivery after a crash mid-import: partition still `importing`, some rows written
    await mongo.db
      .collection(Collections.transactions)
      .deleteMany({ pg: `${partitionId(key)}#1`, line: { $lt: 200 } });
    await mongo.db.collection(Collections.rollups).deleteMany({ pg: `${partitionId(key)}#1` });
    await parts.col.updateOne({ _id: partitionId(key) }, { $set: { status: 'importing', generation: 0 } });
    expect(await inProcessImporter(mongo.db, 64).run(msg)).toEqual({ action: 'ack' });
    const again = await rowsOf(`${partitionId(key)}#1`);
    expect(again).toEqual(first);
    expect((await parts.get(key))?.status).toBe('loaded');
  });

  test('rollups in the database equal sums computed directly from the loaded rows', async () => {
    const key = nextKey();
    const rows = [...generateRows(key, { rows: 500, seed: 13, modifiers: 0.3, gaps: 0.3 })];
    await load(key, 1, rows);
    const pg = `${partitionId(key)}#1`;
    const stored = await rowsOf(pg);
    const docs = await rollups.forGeneration(pg);
    for (const dim of ROLLUP_DIMENSIONS)
      for (const scope of ['all', 'products'] as const) {
        const mine = stored.filter((r) => scope === 'all' || !r.isModifier);
        const keys = new Set(mine.map((r) => rollupKey(dim, r)));
        const got = docs.filter((d: RollupDoc) => d.dim === dim && d.scope === scope);
        expect(got).toHaveLength(keys.size);
        for (const d of got) {
          const of = mine.filter((r) => rollupKey(dim, r) === d.key);
          expect(d.salesE4).toBe(of.reduce((s, r) => s + (r.amountE4 ?? 0), 0));
          expect(d.quantity).toBeCloseTo(
            of.reduce((s, r) => s + (r.quantity ?? 0), 0),
            6,
          );
          expect(d.lines).toBe(of.length);
          expect(d.receipts).toBe(new Set(of.map((r) => r.receiptNo)).size);
        }
      }
    const products = stored.filter((r) => !r.isModifier);
    const cashRows = products.filter((r) => r.paymentName === 'CASH');
    // the same sums from the packed summaries: one day (partition summaries) and the whole month (month summary,
    // rebuilt by the importers' loop from the dirty mark the load left)
    expect(await summaries.rebuildDirtyMonths()).toBeGreaterThan(0);
    for (const [from, to] of [[date, date], ['2026-02-01', '2026-02-28']] as const) {
      const report = await reports.sums({
        from,
        to,
        dim: 'payment',
        scope: 'products',
        field: 'key',
        branches: [key.branch],
      });
      expect(report.reduce((s, r) => s + r.salesE4, 0)).toBe(products.reduce((s, r) => s + (r.amountE4 ?? 0), 0));
      expect(report.find((r) => r.key === 'CASH')?.receipts).toBe(new Set(cashRows.map((r) => r.receiptNo)).size);
      const [total] = await reports.sums({ from, to, dim: 'day', scope: 'all', field: null, branches: [key.branch] });
      expect(total?.receipts).toBe(new Set(stored.map((r) => r.receiptNo)).size);
      expect(total?.quantity).toBeCloseTo(stored.reduce((s, r) => s + (r.quantity ?? 0), 0), 6);
    }
  });

  test('generation g+1 replaces g; a reader polling during the re-import sees all-old or all-new', async () => {
    const key = nextKey();
    const old = [...generateRows(key, { rows: 300, seed: 14 })];
    const neu = [...generateRows(key, { rows: 260, seed: 15, amountShiftE4: 7 })];
    await load(key, 1, old);
    const q = { from: date, to: date, branches: [key.branch] };
    const seen: TransactionRow[][] = [];
    let done = false;
    const reader = (async () => {
      while (!done) seen.push((await tx.queryTransactions(q, '-date', 500)).items);
    })();
    await load(key, 2, neu, 20); // small batches: many writes while the reader polls
    done = true;
    await reader;
    seen.push((await tx.queryTransactions(q, '-date', 500)).items);
    expect(seen.length).toBeGreaterThan(1);
    for (const page of seen) {
      const gens = new Set(page.map((r) => r.generation));
      expect(gens.size).toBe(1);
      expect(page).toHaveLength(gens.has(1) ? 300 : 260);
    }
    expect(seen.at(-1)?.[0]?.generation).toBe(2);
    expect(await tx.countGeneration(`${partitionId(key)}#1`)).toBe(0);
    expect(await rollups.forGeneration(`${partitionId(key)}#1`)).toEqual([]);
    // the month summary now sums generation 2 only
    await summaries.rebuildDirtyMonths();
    const month = await reports.sums({ from: '2026-02-01', to: '2026-02-28', dim: 'day', scope: 'all', field: 'branch', branches: [key.branch] });
    expect(month).toEqual([
      expect.objectContaining({ key: key.branch, salesE4: neu.reduce((s, r) => s + (r.amountE4 ?? 0), 0) }),
    ]);
    expect(await summaries.parts.countDocuments({ pg: `${partitionId(key)}#1` })).toBe(0);
    expect(
      await mongo.db
        .collection('artifacts.files')
        .countDocuments({ 'metadata.partitionId': partitionId(key) }),
    ).toBe(1);
  });

  test('a late message of an older generation is acked without work', async () => {
    const key = nextKey();
    await load(key, 1, [...generateRows(key, { rows: 30, seed: 16 })]);
    const { msg } = await load(key, 2, [...generateRows(key, { rows: 40, seed: 17 })]);
    const late = { ...msg, payload: { ...msg.payload, generation: 1 } };
    expect(await inProcessImporter(mongo.db, 10).run(late)).toEqual({ action: 'ack' });
    expect(await parts.get(key)).toMatchObject({ status: 'loaded', generation: 2, rowsLoaded: 40 });
  });

  test('an invalid row dead-letters with its line; the partition fails, the old generation stays readable', async () => {
    const key = nextKey();
    await load(key, 1, [...generateRows(key, { rows: 30, seed: 18 })]);
    await stageCombined(mongo.db, key, 2);
    const lines: (ParsedRow | string)[] = [...generateRows(key, { rows: 25, seed: 19 })];
    lines[20] = JSON.stringify({ ...(lines[20] as ParsedRow), hour: 99 });
    const artifact = await writeArtifact(mongo.db, key, 2, lines);
    const outcome = await inProcessImporter(mongo.db, 8).run(importMessage(key, 2, artifact));
    expect(outcome.action).toBe('dead');
    expect(outcome.action === 'dead' && outcome.reason).toMatch(/artifact line 21 .*hour/);
    const p = (await parts.get(key)) as PartitionDoc;
    expect(p).toMatchObject({ status: 'failed', generation: 1, failure: { stage: 'import' } });
    expect(await tx.countGeneration(`${partitionId(key)}#2`)).toBe(0); // leftovers removed
    expect(await tx.countGeneration(`${partitionId(key)}#1`)).toBe(30);
    const entry = await new MonitorRepository(mongo.db).col.findOne({
      _id: `${partitionId(key)}:partition-failed:import`,
    });
    expect(entry?.detail).toMatch(/line 21/);
  });

  test('a row count different from the message is a permanent error', async () => {
    const key = nextKey();
    await stageCombined(mongo.db, key, 1);
    const artifact = await writeArtifact(mongo.db, key, 1, generateRows(key, { rows: 12, seed: 20 }));
    const outcome = await inProcessImporter(mongo.db, 5).run(
      importMessage(key, 1, { ...artifact, rows: 13 }),
    );
    expect(outcome).toEqual({
      action: 'dead',
      reason: 'row count mismatch: artifact has 12 rows, message says 13',
    });
    expect((await parts.get(key))?.status).toBe('failed');
  });

  test('the transaction list pages with a cursor over several days, newest first, with filters', async () => {
    const keys = ['2026-03-01', '2026-03-02', '2026-03-03'].map((d) => ({ branch: 'PAGE', pos: 1, date: d }));
    for (const [i, k] of keys.entries()) await load(k, 1, [...generateRows(k, { rows: 40, seed: 30 + i })]);
    const q = { from: '2026-03-01', to: '2026-03-03', branches: ['PAGE'] };
    const all: TransactionRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await tx.queryTransactions(q, '-date', 17, cursor);
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all).toHaveLength(120);
    expect(new Set(all.map((r) => r._id)).size).toBe(120);
    const order = all.map((r) => `${r.date} ${r.time} ${r._id}`);
    expect(order).toEqual([...order].sort().reverse());
    // without a one-branch filter the list reads hour by hour (rows without a time in their own bucket)
    expect(all.some((r) => r.hour === null)).toBe(true);
    for (const [sort, branches] of [['-date', undefined], ['date', ['PAGE', 'ELSEWHERE']]] as const) {
      const walked: string[] = [];
      let c: string | undefined;
      do {
        const page = await tx.queryTransactions({ ...q, branches }, sort, 13, c);
        walked.push(...page.items.map((r) => `${r.date} ${r.time} ${r._id}`));
        c = page.nextCursor ?? undefined;
      } while (c);
      expect(walked).toEqual(sort === '-date' ? order : [...order].reverse());
    }
    // a page reads at most MAX_DATES_PER_PAGE dates: over a long empty stretch it comes back short, with a cursor
    const long = { ...q, from: '2025-12-01' };
    const first = await tx.queryTransactions(long, 'date', 500);
    expect(first.items).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    let found = 0;
    for (let c = first.nextCursor, pages = 1; c; pages++) {
      expect(pages).toBeLessThan(10);
      const page = await tx.queryTransactions(long, 'date', 500, c);
      found += page.items.length;
      c = page.nextCursor;
    }
    expect(found).toBe(120);
    const cash = await tx.queryTransactions({ ...q, payment: 'CASH' }, 'date', 500);
    expect(cash.items.length).toBeGreaterThan(0);
    expect(cash.items.every((r) => r.paymentName === 'CASH')).toBe(true);
    await expect(tx.queryTransactions(q, 'date', 10, 'not-a-cursor')).rejects.toThrow(/cursor/);
  });
});
