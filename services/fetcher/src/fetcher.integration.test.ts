import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  Collections,
  Headers,
  partitionId,
  sourceHashOf,
  type FileRecordDoc,
  type MonitorDoc,
  type PartitionDoc,
  type PartitionKey,
} from '@posflow/contracts';
import { createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import { writeDataset, type DatasetSummary, type PartitionSummary } from '@posflow/synth';
import { startUpstreamSimulator, type UpstreamSimulator } from '../../../test/src/upstream-sim/index.js';
import {
  COMBINE_QUEUE,
  FETCH_DEAD,
  QueueProbe,
  gridfsCounts,
  startInProcessFetcher,
  testEnv,
  until,
  type InProcessFetcher,
} from './testing/harness.js';

// The fetcher in-process (its real handler, consumer, limiter and breaker)
// against a real RabbitMQ vhost, a real database and the upstream simulator
// over real HTTP, serving a synthetic dataset.
describe('fetcher against the simulator, broker and database', () => {
  let dir: string;
  let dataset: DatasetSummary;
  let sim: UpstreamSimulator;
  let vhost: TestVhost;
  let fetcher: InProcessFetcher;
  let probe: QueueProbe;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'posflow-fetcher-it-'));
    dataset = await writeDataset({
      outDir: dir,
      branches: ['BMC', 'EME', 'IRIGA'],
      pos: [1, 2],
      from: '2026-02-09',
      to: '2026-02-11',
      seed: 7,
      edgeCases: false,
      scale: { loyalty: 0.05 },
    });
    sim = await startUpstreamSimulator({ dir, requireBrowserHeaders: true });
    vhost = await createTestVhost('posflow-fetcher');
    fetcher = await startInProcessFetcher(
      testEnv(sim.url, vhost.amqpUrl, testMongoUrl('posflow_fetcher').url),
    );
    probe = await QueueProbe.connect(vhost.amqpUrl);
  });
  afterAll(async () => {
    await probe?.close();
    await fetcher?.mongo.db.dropDatabase().catch(() => undefined);
    await fetcher?.stop();
    await vhost?.drop();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    sim.setFaults([]);
    await probe.purge(COMBINE_QUEUE, FETCH_DEAD);
  });

  const used = new Set<string>();
  /** A fresh open partition with all seven files (each test gets its own). */
  function fullPartition(): PartitionSummary {
    const p = dataset.partitions.find((x) => !x.closed && x.files.length === 7 && !used.has(x.id));
    if (!p) throw new Error('dataset has no unused partition with seven files');
    used.add(p.id);
    return p;
  }
  const keyOf = (p: PartitionSummary): PartitionKey => ({ branch: p.branch, pos: p.pos, date: p.date });
  const db = () => fetcher.mongo.db;
  const partition = (k: PartitionKey) =>
    db()
      .collection<PartitionDoc>(Collections.partitions)
      .findOne({ _id: partitionId(k) });
  const records = (k: PartitionKey) =>
    db()
      .collection<FileRecordDoc>(Collections.filerecords)
      .find({ branch: k.branch, pos: k.pos, date: k.date })
      .toArray();
  const statusIs = (k: PartitionKey, ...s: string[]) =>
    until(`${partitionId(k)} in ${s.join('|')}`, async () =>
      (await partition(k))?.status && s.includes((await partition(k))?.status ?? '') ? true : undefined,
    );
  const sha256 = (rel: string) =>
    createHash('sha256')
      .update(readFileSync(join(dir, rel)))
      .digest('hex');
  const metric = async (name: string, labels: Record<string, string>) => {
    const m = (await fetcher.registry.getSingleMetric(name)?.get())?.values ?? [];
    return m
      .filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
      .reduce((a, v) => a + v.value, 0);
  };
  /** How many observations a histogram has. */
  const observations = async (name: string) =>
    ((await fetcher.registry.getSingleMetric(name)?.get())?.values ?? [])
      .filter((v) => (v as { metricName?: string }).metricName === `${name}_count`)
      .reduce((a, v) => a + v.value, 0);

  test('a partition with seven files: seven FileRecords matching the sources, fetched, exactly one combine request', async () => {
    const p = fullPartition();
    const key = keyOf(p);
    const permitsBefore = await observations('posflow_upstream_permit_wait_seconds');
    const requestsBefore = await metric('posflow_upstream_requests_total', {});
    await probe.publishFetch(key, { jobId: 'job-1' });
    await statusIs(key, 'fetched');
    // One list and seven downloads, each under its own global permit (see guarded-upstream.ts).
    expect((await metric('posflow_upstream_requests_total', {})) - requestsBefore).toBe(8);
    expect((await observations('posflow_upstream_permit_wait_seconds')) - permitsBefore).toBe(8);
    const recs = await records(key);
    expect(recs).toHaveLength(7);
    const bySource = new Map(p.files.map((rel) => [rel.split('/').pop() ?? '', sha256(rel)]));
    for (const r of recs) {
      expect(r.sha256).toBe(bySource.get(r.name));
      expect(r.status).toBe('chosen');
      expect(r.dataRows).toBeGreaterThanOrEqual(0);
    }
    expect((await partition(key))?.files).toBe(7);
    expect((await gridfsCounts(fetcher.mongo)).files).toBeGreaterThanOrEqual(7);
    const combine = await until('the combine request', async () =>
      (await probe.depth(COMBINE_QUEUE)) >= 1 ? probe.drain(COMBINE_QUEUE) : undefined,
    );
    expect(combine).toHaveLength(1);
    expect(combine[0]?.body).toMatchObject({
      type: 'combine.requested',
      version: 1,
      payload: { partition: key, jobId: 'job-1', reason: 'fetched' },
    });
    // every request carried the legacy client's browser-like headers (the simulator requires them)
    const reqs = sim
      .stats()
      .requests.filter((r) => r.form?.branch === key.branch || r.path.includes(`_${key.branch}_`));
    expect(
      reqs.every((r) => r.headers.userAgent?.startsWith('Mozilla/') && r.headers.referer && r.headers.origin),
    ).toBe(true);
  });

  test('a partition nothing was sent for ends empty, with no combine request', async () => {
    const key = { branch: 'BMC', pos: 1, date: '2026-03-01' };
    await probe.publishFetch(key);
    await statusIs(key, 'empty');
    expect(await records(key)).toHaveLength(0);
    expect(await probe.depth(COMBINE_QUEUE)).toBe(0);
  });

  test('HTML pages and connection resets are retried, then the partition succeeds once the fault clears', async () => {
    const key = keyOf(fullPartition());
    const match = { branch: `^${key.branch}$`, pos: `^${key.pos}$`, date: key.date };
    sim.setFaults([
      { kind: 'html-error', match: { ...match, target: 'list' }, times: 2 },
      { kind: 'reset', afterBytes: 0, match: { ...match, target: 'download' }, times: 2 },
      { kind: 'reset', afterBytes: 40, match: { ...match, target: 'download', path: 'rd5800' }, times: 1 },
    ]);
    const htmlBefore = await metric('posflow_upstream_errors_total', { kind: 'list', error: 'html' });
    await probe.publishFetch(key);
    await statusIs(key, 'fetched');
    expect(await metric('posflow_upstream_errors_total', { kind: 'list', error: 'html' })).toBe(
      htmlBefore + 2,
    );
    expect(
      await metric('posflow_upstream_errors_total', { kind: 'download', error: 'reset' }),
    ).toBeGreaterThanOrEqual(3);
    expect(sim.faults().map((f) => f.fired)).toEqual([2, 2, 1]);
    expect(await records(key)).toHaveLength(7);
    expect(
      await until('combine', async () => ((await probe.depth(COMBINE_QUEUE)) === 1 ? 1 : undefined)),
    ).toBe(1);
  });

  test('a partition that keeps failing is dead-lettered with its reason and marked failed, with a monitor entry', async () => {
    const key = keyOf(fullPartition());
    sim.setFaults([
      {
        kind: 'status',
        status: 503,
        match: { target: 'list', branch: `^${key.branch}$`, pos: `^${key.pos}$`, date: key.date },
      },
    ]);
    await probe.publishFetch(key, { jobId: 'job-dead' });
    await statusIs(key, 'failed');
    const dead = await until('the dead letter', async () =>
      (await probe.depth(FETCH_DEAD)) >= 1 ? probe.drain(FETCH_DEAD) : undefined,
    );
    expect(dead).toHaveLength(1);
    expect(String(dead[0]?.headers[Headers.deadReason])).toMatch(
      /gave up after 5 attempts: list http-5xx: HTTP 503/,
    );
    const doc = await partition(key);
    expect(doc?.failure).toMatchObject({ stage: 'fetch', attempts: 5 });
    expect(doc?.failure?.reason).toMatch(/http-5xx/);
    const mon = await db()
      .collection<MonitorDoc>(Collections.monitor)
      .findOne({ kind: 'partition-failed', branch: key.branch, pos: key.pos, date: key.date });
    expect(mon?.detail).toMatch(/HTTP 503/);
    expect(await probe.depth(COMBINE_QUEUE)).toBe(0);
  });

  test('a truncated download never leaves a partial GridFS file', async () => {
    const key = keyOf(fullPartition());
    sim.setFaults([
      {
        kind: 'truncate',
        fraction: 0.5,
        match: {
          target: 'download',
          branch: `^${key.branch}$`,
          pos: `^${key.pos}$`,
          date: key.date,
          path: 'rd5000',
        },
      },
    ]);
    await probe.publishFetch(key);
    await statusIs(key, 'failed');
    expect(
      await metric('posflow_upstream_errors_total', { kind: 'download', error: 'truncated' }),
    ).toBeGreaterThan(0);
    const recorded = new Set((await records(key)).map((r) => r.gridfsId));
    expect([...recorded].length).toBeLessThan(7);
    // every stored file belongs to a FileRecord, and every chunk to a stored file
    const files = await db()
      .collection<{
        _id: { toHexString(): string };
        metadata?: { date?: string; branch?: string; pos?: number; type?: string };
      }>(`${Collections.rawBucket}.files`)
      .find({})
      .toArray();
    const mine = files.filter(
      (f) => f.metadata?.branch === key.branch && f.metadata.pos === key.pos && f.metadata.date === key.date,
    );
    expect(mine.map((f) => f.metadata?.type)).not.toContain('rd5000');
    expect(mine.every((f) => recorded.has(f._id.toHexString()))).toBe(true);
    const ids = files.map((f) => f._id);
    expect(
      await db()
        .collection(`${Collections.rawBucket}.chunks`)
        .countDocuments({ files_id: { $nin: ids } }),
    ).toBe(0);
  });

  test('re-fetching an unchanged partition stores nothing new and asks for no combine; a changed source is detected', async () => {
    const p = fullPartition();
    const key = keyOf(p);
    await probe.publishFetch(key);
    await statusIs(key, 'fetched');
    const first = (await records(key)).map((r) => r._id).sort();
    const gridfs = await gridfsCounts(fetcher.mongo);
    // pretend the pipeline loaded it from these files
    const chosen = await records(key);
    await db()
      .collection<PartitionDoc>(Collections.partitions)
      .updateOne(
        { _id: partitionId(key) },
        { $set: { status: 'loaded', generation: 1, sourceHash: sourceHashOf(chosen) } },
      );
    await probe.drain(COMBINE_QUEUE);
    const loadedAt = new Date();

    await probe.publishFetch(key); // no force: a loaded partition is left alone
    await probe.publishFetch(key, { force: true });
    // the forced re-fetch finds exactly the loaded files: back to loaded, no new generation
    await until('the re-fetch to finish', async () => {
      const doc = await partition(key);
      return doc?.status === 'loaded' && (doc.at.fetching?.getTime() ?? 0) >= loadedAt.getTime()
        ? doc
        : undefined;
    });
    expect((await records(key)).map((r) => r._id).sort()).toEqual(first);
    expect(await gridfsCounts(fetcher.mongo)).toEqual(gridfs);
    expect(await probe.depth(COMBINE_QUEUE)).toBe(0);

    // the store re-sends a changed rd5800: a new FileRecord beside the old one, reason "changed"
    await db()
      .collection<PartitionDoc>(Collections.partitions)
      .updateOne({ _id: partitionId(key) }, { $set: { status: 'loaded' } });
    sim.setFaults([
      {
        kind: 'mutate',
        mode: 'append',
        match: {
          target: 'download',
          branch: `^${key.branch}$`,
          pos: `^${key.pos}$`,
          date: key.date,
          path: 'rd5800',
        },
      },
    ]);
    await probe.publishFetch(key, { force: true });
    await statusIs(key, 'fetched');
    const after = await records(key);
    expect(after).toHaveLength(8);
    expect(
      after
        .filter((r) => r.type === 'rd5800')
        .map((r) => r.status)
        .sort(),
    ).toEqual(['chosen', 'superseded']);
    const changed = await until('combine', async () =>
      (await probe.depth(COMBINE_QUEUE)) >= 1 ? probe.drain(COMBINE_QUEUE) : undefined,
    );
    expect(changed.map((m) => (m.body as { payload: { reason: string } }).payload.reason)).toEqual([
      'changed',
    ]);
    expect(
      await db()
        .collection<MonitorDoc>(Collections.monitor)
        .countDocuments({ kind: 'source-changed', branch: key.branch, pos: key.pos, date: key.date }),
    ).toBe(1);
  });
});
