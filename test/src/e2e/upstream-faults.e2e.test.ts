import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '../support/processes.js';
import { createWorld, type World } from './synthetic-world.js';

async function breakerState(url: string): Promise<number | undefined> {
  const text = await (await fetch(url.replace('/readyz', '/metrics'))).text();
  const m = /^posflow_upstream_breaker_state(?:\{[^}]*\})? (\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * The upstream fails (HTML pages, error text, resets, truncation, slow drip)
 * for a while, then recovers: the breaker opens and closes, retries succeed,
 * the failures show in the monitor, nothing is lost.
 */
describe('upstream failing for a while, then recovering', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({
      branches: 2,
      orders: 0.4,
      seed: 21,
      pipeline: { env: { fetcher: { BREAKER_FAILURE_THRESHOLD: '3', BREAKER_OPEN_MS: '1500' } } },
    });
  });
  afterAll(async () => w?.close());

  test('breaker opens and closes, retries succeed, failures are monitored', async () => {
    w.sim.setFaults([
      { kind: 'html-error', match: { target: 'list' }, probability: 0.5 },
      { kind: 'text-error', match: { target: 'list' }, probability: 0.5 },
      { kind: 'reset', afterBytes: 100, match: { target: 'download' }, probability: 0.4 },
      { kind: 'truncate', fraction: 0.5, match: { target: 'download' }, probability: 0.4 },
      { kind: 'slow', bytesPerSecond: 20_000, match: { target: 'download' }, probability: 0.2 },
    ]);
    const jobId = await w.backfill();
    const fetcher = w.p.services.fetcher[0]!;
    let sawOpen = false;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !sawOpen) {
      sawOpen = (await breakerState(fetcher.readyUrl)) === 2;
      await sleep(100);
    }
    expect(sawOpen, 'breaker opened while the upstream kept failing').toBe(true);
    w.sim.setFaults([]);
    const done = await w.waitDone(jobId);
    expect(done.failures ?? []).toEqual([]);
    await waitUntil('breaker closed', async () => (await breakerState(fetcher.readyUrl)) === 0, 30_000);
    await w.expectExactRows();
    const monitor = (await (await w.p.api('/api/v1/monitor?kind=upstream-error')).json()) as
      | { items?: unknown[] }
      | unknown[];
    const items = Array.isArray(monitor) ? monitor : (monitor.items ?? []);
    expect(items.length).toBeGreaterThan(0);
  });
});
