import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { waitUntil } from '../support/processes.js';
import { createWorld, partitionStatuses, type World } from './synthetic-world.js';

/**
 * kill -9 each worker type in the middle of its work, then restart it: the
 * message is redelivered and every partition ends loaded once, no duplicates.
 */
describe('workers killed with SIGKILL mid-work', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({
      branches: 3,
      orders: 1,
      pipeline: { env: { importer: { IMPORT_BATCH_SIZE: '50' } } },
    });
  });
  afterAll(async () => w?.close());

  test('fetcher, combiner and importer each killed and restarted: all partitions loaded exactly once', async () => {
    // Slow the upstream a little so the fetcher is caught holding messages.
    w.sim.setFaults([{ kind: 'latency', ms: 150, match: { target: 'any' } }]);
    const jobId = await w.backfill();
    const total = w.dataset.partitions.length;

    for (const [stage, reached] of [
      ['fetcher', 'fetched'],
      ['combiner', 'combined'],
      ['importer', 'loaded'],
    ] as const) {
      // wait until the stage has done some but not all of its work
      await waitUntil(
        `${stage} mid-work`,
        async () => {
          const s = await partitionStatuses(w);
          const past = passed(s, reached);
          return past >= 1 && past < total;
        },
        120_000,
        50,
      );
      const proc = w.p.services[stage][0]!;
      const r = await proc.stop('SIGKILL');
      expect(r.signal).toBe('SIGKILL');
      await proc.start();
    }
    w.sim.setFaults([]);
    const done = await w.waitDone(jobId);
    expect(done.failures ?? []).toEqual([]);
    await w.expectExactRows();
  });
});

/** Partitions at or past `reached` in the lifecycle. */
function passed(s: Record<string, number>, reached: 'fetched' | 'combined' | 'loaded'): number {
  const order = ['fetched', 'combining', 'combined', 'importing', 'loaded', 'empty'];
  const from = order.indexOf(reached);
  return order.slice(from).reduce((n, st) => n + (s[st] ?? 0), 0);
}
