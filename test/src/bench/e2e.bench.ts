// End-to-end load benchmark (`pnpm bench:e2e`; not part of `pnpm bench`):
// a month of generated exports backfilled through the four services against
// the upstream simulator with per-request latency, with 1, 2 and 4 fetcher
// replicas, plus the legacy client's fetch pattern on the same month.
// Prints the Markdown section `## End to end` and writes the queue-depth chart.
//   BENCH_E2E_BRANCHES=30 BENCH_E2E_DAYS=30     the headline month
//   BENCH_E2E_SCALING_BRANCHES / _DAYS          a smaller month for the scaling runs (default: the headline month)
//   BENCH_E2E_FETCHERS=1,2,4                    fetcher replicas per scaling run (the headline run uses the largest)
//   BENCH_E2E_ORDERS=1 BENCH_E2E_LOYALTY=0.15   generator scales (orders per day, cumulative loyalty log)
//   BENCH_E2E_LATENCY_MS=50 BENCH_E2E_CAP=4     simulator latency, UPSTREAM_MAX_CONCURRENCY
//   BENCH_E2E_PREFETCH                          fetcher PREFETCH (default: the service's, 4)
//   BENCH_E2E_LEGACY=1                          also time the legacy fetch pattern
//   BENCH_E2E_CHART=docs/img/e2e-queue-depths.png
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from '../support/processes.js';
import { DEFAULT_CACHE_DIR, runE2eBench } from './e2e-bench.js';
import type { E2eSize } from './e2e-dataset.js';
import { renderE2eReport } from './e2e-report.renderer.js';

const positive = z.coerce.number().int().positive();
const Env = z.object({
  BENCH_E2E_BRANCHES: positive.max(40).default(30),
  BENCH_E2E_DAYS: positive.default(30),
  BENCH_E2E_SCALING_BRANCHES: positive.max(40).optional(),
  BENCH_E2E_SCALING_DAYS: positive.optional(),
  BENCH_E2E_FETCHERS: z
    .string()
    .default('1,2,4')
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(z.array(z.number().int().positive()).min(1)),
  BENCH_E2E_ORDERS: z.coerce.number().positive().default(1),
  // ~0.45 MB loyalty logs on average, like the real fixture groups (scale 1 makes ~3 MB each)
  BENCH_E2E_LOYALTY: z.coerce.number().positive().default(0.15),
  BENCH_E2E_FROM: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).default('2026-01-01'),
  BENCH_E2E_LATENCY_MS: z.coerce.number().int().min(0).default(50),
  BENCH_E2E_CAP: positive.default(4),
  BENCH_E2E_PREFETCH: positive.optional(),
  BENCH_E2E_LEGACY: z.enum(['0', '1']).default('1'),
  BENCH_E2E_CHART: z.string().default('docs/img/e2e-queue-depths.png'),
  BENCH_E2E_RUN_TIMEOUT_MS: positive.default(3 * 3_600_000),
});

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) throw new Error(`bad BENCH_E2E_* settings: ${parsed.error.message}`);
  const env = parsed.data;
  const size = (branches: number, days: number): E2eSize => ({ branches, days, from: env.BENCH_E2E_FROM, pos: [1, 2], orders: env.BENCH_E2E_ORDERS, loyalty: env.BENCH_E2E_LOYALTY, seed: 11 });
  const full = size(env.BENCH_E2E_BRANCHES, env.BENCH_E2E_DAYS);
  const scaling = size(env.BENCH_E2E_SCALING_BRANCHES ?? full.branches, env.BENCH_E2E_SCALING_DAYS ?? full.days);
  const chartPath = isAbsolute(env.BENCH_E2E_CHART) ? env.BENCH_E2E_CHART : join(REPO_ROOT, env.BENCH_E2E_CHART);
  await mkdir(dirname(chartPath), { recursive: true });

  const result = await runE2eBench({
    full,
    scaling,
    fetchers: env.BENCH_E2E_FETCHERS,
    fetcherPrefetch: env.BENCH_E2E_PREFETCH,
    upstreamCap: env.BENCH_E2E_CAP,
    latencyMs: env.BENCH_E2E_LATENCY_MS,
    legacy: env.BENCH_E2E_LEGACY === '1',
    cacheDir: DEFAULT_CACHE_DIR(REPO_ROOT),
    chartPath,
    runTimeoutMs: env.BENCH_E2E_RUN_TIMEOUT_MS,
    log: (msg, fields) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`),
  });
  const chartRef = relative(join(REPO_ROOT, 'docs'), chartPath);
  const report = renderE2eReport(result, chartRef);
  process.stdout.write(report);
  const out = join(REPO_ROOT, 'test-results', 'bench');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'e2e.md'), report);
  await writeFile(join(out, 'e2e.json'), JSON.stringify(result, null, 2));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
