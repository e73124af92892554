import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Collections, partitionId, type PartitionDoc } from '@posflow/contracts';
import { createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import { writeDataset, type DatasetSummary } from '@posflow/synth';
import { ServiceProcess, freePort } from '../../../test/src/support/processes.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../../../test/src/upstream-sim/index.js';
import { COMBINE_QUEUE, QueueProbe, testEnv, until } from './testing/harness.js';

const CAP = 4;
const REPLICAS = 4;

// Four fetchers as real processes (`node services/fetcher/dist/main.js`; build first:
// `npx tsc -b services/fetcher`), each with its own broker connection and database client.
describe('four fetcher processes share one global upstream cap', () => {
  let dir: string;
  let dataset: DatasetSummary;
  let sim: UpstreamSimulator;
  let vhost: TestVhost;
  let probe: QueueProbe;
  let mongo: MongoClient;
  const procs: ServiceProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'posflow-fetcher-cap-'));
    dataset = await writeDataset({
      outDir: dir,
      branches: 6,
      pos: [1, 2],
      from: '2026-02-09',
      to: '2026-02-10',
      seed: 11,
      edgeCases: false,
      scale: { loyalty: 0.05 },
    });
    // A slow upstream, so that requests overlap and the cap is what limits them.
    sim = await startUpstreamSimulator({ dir, faults: [{ kind: 'latency', ms: 120 }] });
    vhost = await createTestVhost('posflow-fetcher-cap');
    const { url: mongoUrl } = testMongoUrl('posflow_fetcher_cap');
    mongo = await new MongoClient(mongoUrl).connect();
    probe = await QueueProbe.connect(vhost.amqpUrl);
    const env = testEnv(sim.url, vhost.amqpUrl, mongoUrl, {
      UPSTREAM_MAX_CONCURRENCY: String(CAP),
      PREFETCH: '4',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    for (let i = 0; i < REPLICAS; i++) {
      procs.push(
        new ServiceProcess(`fetcher-cap-${i + 1}`, 'services/fetcher/dist/main.js', env, await freePort()),
      );
    }
    await Promise.all(procs.map((p) => p.start()));
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGTERM', 15_000)));
    await probe?.close();
    await mongo
      ?.db()
      .dropDatabase()
      .catch(() => undefined);
    await mongo?.close();
    await vhost?.drop();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the simulator never sees more than the cap at once, and more than one', async () => {
    for (const p of dataset.partitions)
      await probe.publishFetch({ branch: p.branch, pos: p.pos, date: p.date });
    const ids = dataset.partitions.map((p) => partitionId(p));
    const parts = mongo.db().collection<PartitionDoc>(Collections.partitions);
    await until(
      'every partition fetched or empty',
      async () =>
        (await parts.countDocuments({ _id: { $in: ids }, status: { $in: ['fetched', 'empty'] } })) ===
        ids.length
          ? true
          : undefined,
      300_000,
    );
    const stats = sim.stats(false);
    const open = dataset.partitions.filter((p) => !p.closed && p.files.length > 0);
    expect(stats.downloadRequests).toBeGreaterThanOrEqual(open.reduce((a, p) => a + p.files.length, 0));
    expect(stats.peakInFlight).toBeLessThanOrEqual(CAP);
    expect(stats.peakInFlight).toBeGreaterThan(1);
    expect(await parts.countDocuments({ _id: { $in: ids }, status: 'fetched' })).toBe(open.length);
    await until('combine requests', async () =>
      (await probe.depth(COMBINE_QUEUE)) === open.length ? true : undefined,
    );
    // the work was shared: every process made upstream requests, and says so on /metrics
    for (const p of procs) {
      const text = await (await fetch(`http://127.0.0.1:${p.opsPort}/metrics`)).text();
      expect(text).toMatch(
        /posflow_upstream_requests_total\{[^}]*kind="download"[^}]*outcome="ok"[^}]*\} [1-9]/,
      );
      expect(text).toMatch(/posflow_upstream_breaker_state\{[^}]*\} 0/);
    }
  });

  test('SIGTERM stops every process cleanly', async () => {
    const results = await Promise.all(procs.map((p) => p.stop('SIGTERM', 15_000)));
    expect(results.map((r) => r.code)).toEqual(procs.map(() => 0));
  });
});
