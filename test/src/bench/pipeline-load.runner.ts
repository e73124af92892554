import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collection } from 'mongodb';
import { STAGES, dateRange, type Stage } from '@posflow/contracts';
import { enqueue, getJob, type JobView } from '../e2e/e2e-helpers.js';
import { startPipeline } from '../support/pipeline.js';
import type { UpstreamSimulator } from '../upstream-sim/index.js';
import type { E2eDataset } from './e2e-dataset.js';
import { legacyFetch } from './legacy-fetch.client.js';
import { PipelineSampler, deadLetters, processUsage, type PipelineSample, type ProcessUsage } from './pipeline.sampler.js';

export interface PipelineRunOptions {
  fetchers: number;
  /** Fetcher PREFETCH (messages in flight per replica); undefined = the service default (4). */
  fetcherPrefetch?: number;
  upstreamCap: number;
  timeoutMs: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface UpstreamFigures {
  requests: number;
  lists: number;
  downloads: number;
  bytes: number;
  peakInFlight: number;
}

export interface PipelineRunResult {
  label: string;
  fetchers: number;
  fetcherPrefetch: number | undefined;
  upstreamCap: number;
  dataset: E2eDataset;
  job: JobView;
  /** Rows in `transactions` after the run: equals the expected rows when nothing was lost or duplicated. */
  rowsStored: number;
  wallS: number;
  /** When every partition was past `fetching` (the fetch stage's own throughput). */
  fetchDoneS: number | undefined;
  partitionsPerMin: number;
  fetchPartitionsPerMin: number | undefined;
  rowsPerS: number;
  upstream: UpstreamFigures;
  processes: ProcessUsage[];
  deadLetters: number;
  maxDepth: Record<Stage, number>;
  samples: PipelineSample[];
}

export interface LegacyRunResult {
  dataset: E2eDataset;
  wallS: number;
  partitions: number;
  files: number;
  bytes: number;
  partitionsPerMin: number;
  upstream: UpstreamFigures;
}

/**
 * One backfill of the dataset through the real pipeline (four services as
 * processes, `fetchers` fetcher replicas) against the simulator: enqueue the
 * whole range through the gateway, sample queues and progress every second,
 * wait for the job, then read every process's peak RSS and CPU before stopping.
 */
export async function runPipelineLoad(ds: E2eDataset, sim: UpstreamSimulator, opts: PipelineRunOptions): Promise<PipelineRunResult> {
  const fetcherEnv: Record<string, string> = { UPSTREAM_MAX_CONCURRENCY: String(opts.upstreamCap) };
  if (opts.fetcherPrefetch !== undefined) fetcherEnv.PREFETCH = String(opts.fetcherPrefetch);
  const label = `${ds.partitions} partitions, ${opts.fetchers} fetcher${opts.fetchers > 1 ? 's' : ''}`;
  opts.log('run starting', { label });
  const p = await startPipeline({
    upstreamUrl: sim.url,
    referenceDir: ds.referenceDir,
    fetchers: opts.fetchers,
    // the gateway wants at least 16 characters
    apiKey: 'bench-e2e-admin-key-0001',
    env: { fetcher: fetcherEnv },
    // info logs of 1,800 partitions cost CPU the services should spend on work
    logLevel: 'warn',
  });
  try {
    const db = (await p.mongo()).db();
    const sampler = new PipelineSampler(p.vhost.name, db, ds.partitions);
    sim.resetStats();
    const started = Date.now();
    sampler.start();
    const { jobId } = await enqueue(p, '/api/v1/fetch/range', ds.range);
    const job = await waitForJob(p, jobId, started, sampler, opts);
    const wallS = (Date.now() - started) / 1000;
    await sampler.stop();
    const processes = p.all().map(processUsage);
    const stats = sim.stats(false);
    // Counting 1.15 M rows took 557 s on FerretDB 1.24 (a full month): above COUNT_ROWS_UP_TO, -1 (not counted).
    const rowsStored =
      ds.expectedRows <= COUNT_ROWS_UP_TO || process.env.BENCH_E2E_COUNT_ROWS === '1'
        ? await countStreamed(db.collection('transactions'))
        : -1;
    const maxDepth = { fetch: 0, combine: 0, import: 0 };
    for (const s of sampler.samples) for (const st of STAGES) maxDepth[st] = Math.max(maxDepth[st], s.depth[st]);
    const result: PipelineRunResult = {
      label,
      fetchers: opts.fetchers,
      fetcherPrefetch: opts.fetcherPrefetch,
      upstreamCap: opts.upstreamCap,
      dataset: ds,
      job,
      rowsStored,
      wallS,
      fetchDoneS: sampler.fetchDoneS,
      partitionsPerMin: ds.partitions / (wallS / 60),
      fetchPartitionsPerMin: sampler.fetchDoneS ? ds.partitions / (sampler.fetchDoneS / 60) : undefined,
      rowsPerS: job.rowsLoaded / wallS,
      upstream: upstreamFigures(stats),
      processes,
      deadLetters: await deadLetters(p.vhost.name),
      maxDepth,
      samples: sampler.samples,
    };
    opts.log('run finished', { label, wallS: Math.round(wallS), status: job.status, rowsLoaded: job.rowsLoaded });
    return result;
  } finally {
    await p.stop();
  }
}

/** The same month the way the legacy client fetched it: two list requests at a time, files one by one, no pipeline. */
export async function runLegacyLoad(ds: E2eDataset, sim: UpstreamSimulator): Promise<LegacyRunResult> {
  const targets = dateRange(ds.range.from, ds.range.to).flatMap((date) => ds.range.branches.map((branch) => ({ branch, date, poses: ds.range.pos })));
  const folder = await mkdtemp(join(tmpdir(), 'posflow-legacy-'));
  sim.resetStats();
  const started = Date.now();
  const r = await legacyFetch(sim.url, targets, folder);
  const wallS = (Date.now() - started) / 1000;
  return { dataset: ds, wallS, ...r, partitionsPerMin: r.partitions / (wallS / 60), upstream: upstreamFigures(sim.stats(false)) };
}

async function waitForJob(
  p: Awaited<ReturnType<typeof startPipeline>>,
  jobId: string,
  started: number,
  sampler: PipelineSampler,
  opts: PipelineRunOptions,
): Promise<JobView> {
  let lastLog = Date.now();
  let failures = 0;
  for (;;) {
    let job: JobView;
    try {
      job = await getJob(p, jobId);
      failures = 0;
    } catch (err) {
      // A long run outlives a database or gateway hiccup; only a lasting failure ends it.
      if (++failures >= 40) throw err;
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    if (job.status !== 'running') return job;
    const crashed = p.all().find((s) => !s.running);
    if (crashed) throw new Error(`${crashed.name} exited (${crashed.exitCode ?? crashed.exitSignal}) during the run; see test-results/logs/${crashed.name}.log`);
    if (Date.now() - started > opts.timeoutMs) throw new Error(`job ${jobId} still running after ${opts.timeoutMs} ms: ${JSON.stringify(job.counts)}`);
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      opts.log('run progress', { s: Math.round((Date.now() - started) / 1000), counts: job.counts, depth: sampler.samples.at(-1)?.depth });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function upstreamFigures(s: ReturnType<UpstreamSimulator['stats']>): UpstreamFigures {
  return { requests: s.totalRequests, lists: s.listRequests, downloads: s.downloadRequests, bytes: s.bytesSent, peakInFlight: s.peakInFlight };
}

/** Runs with more expected rows skip the independent count unless BENCH_E2E_COUNT_ROWS=1. */
const COUNT_ROWS_UP_TO = 300_000;

/**
 * Documents in a collection, counted through a cursor of ids: FerretDB 1.24
 * runs `countDocuments` as an aggregate it holds in memory (6 GB for the
 * 1.15 M rows of a full month), while a cursor streams.
 */
async function countStreamed(col: Collection): Promise<number> {
  let n = 0;
  for await (const _doc of col.find({}, { projection: { _id: 1 }, batchSize: 10_000 })) n++;
  return n;
}
