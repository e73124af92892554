import { join } from 'node:path';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { renderDepthChartSvg } from './depth-chart.renderer.js';
import { prepareDataset, type E2eDataset, type E2eSize } from './e2e-dataset.js';
import { runLegacyLoad, runPipelineLoad, type LegacyRunResult, type PipelineRunResult } from './pipeline-load.runner.js';
import { writeSvgAndPng } from './svg-to-png.converter.js';

export interface E2eBenchConfig {
  /** The month of the headline run (done once, with the most fetchers). */
  full: E2eSize;
  /** The month of the scaling runs; equal to `full` when the machine can afford it. */
  scaling: E2eSize;
  /** Fetcher replicas of each scaling run, e.g. [1, 2, 4]. */
  fetchers: number[];
  fetcherPrefetch?: number;
  upstreamCap: number;
  /** Simulator latency on every request (list and download). */
  latencyMs: number;
  legacy: boolean;
  cacheDir: string;
  /** Where the chart goes (`.png`; the `.svg` is written beside it). */
  chartPath: string;
  runTimeoutMs: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface E2eBenchResult {
  config: Omit<E2eBenchConfig, 'log'>;
  full: PipelineRunResult;
  scaling: PipelineRunResult[];
  legacy: LegacyRunResult[];
  chart: { svgPath: string; png: boolean; reason?: string };
}

const sameSize = (a: E2eSize, b: E2eSize): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The end-to-end load benchmark: the scaling runs (one per fetcher count) on
 * the scaling month, the headline run on the full month (reused from the
 * scaling runs when both months are the same), the legacy fetch pattern on
 * each month, and the queue-depth chart of every run.
 */
export async function runE2eBench(config: E2eBenchConfig): Promise<E2eBenchResult> {
  const { log, ...rest } = config;
  const maxFetchers = Math.max(...config.fetchers);
  const runOpts = (fetchers: number) => ({ fetchers, fetcherPrefetch: config.fetcherPrefetch, upstreamCap: config.upstreamCap, timeoutMs: config.runTimeoutMs, log });

  const scalingSize = sameSize(config.full, config.scaling) ? config.full : config.scaling;
  const sizes = scalingSize === config.full ? [config.full] : [scalingSize, config.full];
  const datasets = new Map<E2eSize, E2eDataset>();
  for (const size of sizes) {
    log('dataset preparing', { ...size });
    const ds = await prepareDataset(size, config.cacheDir);
    log('dataset ready', { partitions: ds.partitions, files: ds.files, mb: Math.round(ds.bytes / 1e6), generatedS: Math.round(ds.generatedS) });
    datasets.set(size, ds);
  }

  const scaling: PipelineRunResult[] = [];
  const legacy: LegacyRunResult[] = [];
  let full: PipelineRunResult | undefined;
  for (const size of sizes) {
    const ds = datasets.get(size)!;
    await withSimulator(ds, config.latencyMs, async (sim) => {
      if (size === scalingSize) {
        for (const n of config.fetchers) scaling.push(await runPipelineLoad(ds, sim, runOpts(n)));
        if (sizes.length === 1) full = scaling.find((r) => r.fetchers === maxFetchers);
      }
      if (size === config.full && full === undefined) full = await runPipelineLoad(ds, sim, runOpts(maxFetchers));
      if (config.legacy) {
        log('legacy fetch starting', { partitions: ds.partitions });
        legacy.push(await runLegacyLoad(ds, sim));
      }
    });
  }
  if (!full) throw new Error('no headline run');

  const panels = [full, ...scaling.filter((r) => r !== full)].map((r) => ({
    title: `${r.label} (prefetch ${r.fetcherPrefetch ?? 4}, upstream cap ${r.upstreamCap}): ${Math.round(r.wallS)} s`,
    samples: r.samples,
    total: r.dataset.partitions,
  }));
  const chart = await writeSvgAndPng(renderDepthChartSvg(panels), config.chartPath);
  if (!chart.png) log('chart written as SVG only', { reason: chart.reason, svg: chart.svgPath });
  return { config: rest, full, scaling, legacy, chart };
}

async function withSimulator<T>(ds: E2eDataset, latencyMs: number, fn: (sim: UpstreamSimulator) => Promise<T>): Promise<T> {
  const sim = await startUpstreamSimulator({ dir: ds.exportsDir, faults: latencyMs > 0 ? [{ kind: 'latency', ms: latencyMs, match: { target: 'any' } }] : [] });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

export const DEFAULT_CACHE_DIR = (root: string): string => join(root, '.posflow', 'bench-e2e');
