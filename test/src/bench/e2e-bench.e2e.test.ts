import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runE2eBench, type E2eBenchResult } from './e2e-bench.js';
import type { E2eSize } from './e2e-dataset.js';
import { renderE2eReport } from './e2e-report.renderer.js';

/**
 * CI-sized smoke run of `pnpm bench:e2e`: the same code at 2 branches × 2 days
 * with 1 and 2 fetchers. It checks that every partition is loaded with every
 * row and that each figure the report needs is there; speed is the bench's
 * business, never asserted here.
 */
const work = await mkdtemp(join(tmpdir(), 'posflow-e2e-bench-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const size: E2eSize = { branches: 2, days: 2, from: '2026-01-05', pos: [1, 2], orders: 0.3, loyalty: 0.01, seed: 5 };
const CAP = 4;

test('the end-to-end bench loads every partition at a tiny size and reports its figures', async () => {
  const result: E2eBenchResult = await runE2eBench({
    full: size,
    scaling: size,
    fetchers: [1, 2],
    upstreamCap: CAP,
    latencyMs: 20,
    legacy: true,
    cacheDir: join(work, 'datasets'),
    chartPath: join(work, 'chart.png'),
    runTimeoutMs: 300_000,
    log: () => undefined,
  });

  expect(result.scaling.map((r) => r.fetchers)).toEqual([1, 2]);
  expect(result.full).toBe(result.scaling[1]);
  for (const run of result.scaling) {
    const ds = run.dataset;
    expect(ds.partitions).toBe(8);
    expect(run.job.status, run.label).toBe('succeeded');
    expect(run.job.counts, run.label).toEqual(
      ds.closedPartitions > 0 ? { loaded: ds.partitions - ds.closedPartitions, empty: ds.closedPartitions } : { loaded: ds.partitions },
    );
    expect(run.job.rowsLoaded, run.label).toBe(ds.expectedRows);
    expect(run.rowsStored, run.label).toBe(ds.expectedRows);
    expect(run.deadLetters, run.label).toBe(0);
    expect(run.wallS).toBeGreaterThan(0);
    expect(run.partitionsPerMin).toBeGreaterThan(0);
    expect(run.rowsPerS).toBeGreaterThan(0);
    expect(run.fetchDoneS).toBeDefined();
    expect(run.samples.length).toBeGreaterThan(0);
    expect(run.upstream.lists).toBe(ds.partitions);
    expect(run.upstream.peakInFlight).toBeGreaterThan(0);
    expect(run.upstream.peakInFlight).toBeLessThanOrEqual(CAP);
    expect(run.processes.filter((p) => p.name.startsWith('fetcher'))).toHaveLength(run.fetchers);
    for (const p of run.processes) expect(p.peakRssKb, p.name).toBeGreaterThan(0);
  }

  expect(result.legacy).toHaveLength(1);
  expect(result.legacy[0]?.partitions).toBe(8);
  expect(result.legacy[0]?.upstream.lists).toBe(8);

  expect(existsSync(result.chart.svgPath)).toBe(true);
  if (result.chart.png) expect(existsSync(join(work, 'chart.png'))).toBe(true);

  const report = renderE2eReport(result, 'img/chart.png');
  for (const heading of ['## End to end', '### Throughput', '### Peak RSS and CPU per service process', '### Queue depths', '### Horizontal scaling']) {
    expect(report).toContain(heading);
  }
  expect(report).toContain('legacy fetch pattern');
});
