import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { waitUntil } from '../support/processes.js';
import { createWorld, partitionStatuses, type World } from './synthetic-world.js';

const GRACE_MS = 15_000; // SHUTDOWN_TIMEOUT_MS given to every service by the pipeline helper

/**
 * SIGTERM during work: each service drains and exits within its grace period
 * without losing the in-flight message.
 */
describe('SIGTERM during work', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({
      branches: 3,
      orders: 0.8,
      seed: 41,
      pipeline: { env: { importer: { IMPORT_BATCH_SIZE: '100' } } },
    });
  });
  afterAll(async () => w?.close());

  test('each service exits cleanly within its grace period and the job still completes exactly', async () => {
    w.sim.setFaults([{ kind: 'latency', ms: 120, match: { target: 'any' } }]);
    const jobId = await w.backfill();
    await waitUntil(
      'work under way',
      async () => {
        const s = await partitionStatuses(w);
        return (s.fetched ?? 0) + (s.combined ?? 0) + (s.loaded ?? 0) >= 2;
      },
      120_000,
      50,
    );
    for (const name of ['fetcher', 'combiner', 'importer', 'gateway'] as const) {
      const proc = w.p.services[name][0]!;
      const r = await proc.stop('SIGTERM', GRACE_MS + 10_000);
      expect(r.signal, `${name} was not killed`).toBeNull();
      expect(r.code, `${name} exit code`).toBe(0);
      expect(r.ms, `${name} shutdown time`).toBeLessThan(GRACE_MS + 2_000);
      await proc.start();
    }
    w.sim.setFaults([]);
    const done = await w.waitDone(jobId);
    expect(done.failures ?? []).toEqual([]);
    await w.expectExactRows();
  });
});
