// Fetch figures (docs/benchmarks.md "## Fetch"): partitions/min of one fetcher
// process against the simulator with injected latency, at global cap =
// prefetch = 1, 4 and 16, beside the legacy client's pattern against the same
// simulator; and the fetcher's peak RSS while it streams one large rd5000 into
// GridFS. Shrink for CI with FETCH_BENCH_PARTITIONS, FETCH_BENCH_CONCURRENCY,
// FETCH_BENCH_LATENCY_MS, FETCH_BENCH_LARGE_MB (0 skips the large file;
// FETCH_BENCH_PARTITIONS=0 skips the throughput runs).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { Collections, partitionId, type PartitionKey } from '@posflow/contracts';
import { AmqpClient, createLogger, makeMessage } from '@posflow/runtime';
import { createTestVhost, testMongoUrl } from '@posflow/runtime/testing';
import { writeDataset, writeLargeRd5000 } from '@posflow/synth';
import { ServiceProcess, freePort } from '../support/processes.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { legacyFetch } from './legacy-fetch.client.js';

const PARTITIONS = Number(process.env.FETCH_BENCH_PARTITIONS ?? 40);
const LATENCY_MS = Number(process.env.FETCH_BENCH_LATENCY_MS ?? 100);
const CONCURRENCY = (process.env.FETCH_BENCH_CONCURRENCY ?? '1,4,16').split(',').map(Number);
const LARGE_MB = Number(process.env.FETCH_BENCH_LARGE_MB ?? 500);
const RSS_LIMIT_MB = 150;
const DATE = '2026-02-09';

const mb = (n: number): string => (n / 1_048_576).toFixed(1);

interface Run {
  label: string;
  partitions: number;
  seconds: number;
  requests: number;
  peakInFlight: number;
  peakRssMb: number | undefined;
}

/** One fetcher process with its own vhost and database; returns when it has settled every key. */
async function runFetcher(
  sim: UpstreamSimulator,
  keys: readonly PartitionKey[],
  cap: number,
  label: string,
  env: Record<string, string> = {},
): Promise<Run> {
  const vhost = await createTestVhost('posflow-bench-fetch');
  const { url: mongoUrl } = testMongoUrl('posflow_bench_fetch');
  const proc = new ServiceProcess(
    `bench-fetcher-${cap}`,
    'services/fetcher/dist/main.js',
    {
      AMQP_URL: vhost.amqpUrl,
      MONGO_URL: mongoUrl,
      UPSTREAM_BASE_URL: sim.url,
      UPSTREAM_MAX_CONCURRENCY: String(cap),
      PREFETCH: String(cap),
      LOG_LEVEL: 'warn',
      ...env,
    },
    await freePort(),
  );
  const logger = createLogger('fetch-bench', 'silent');
  const amqp = new AmqpClient({
    url: vhost.amqpUrl,
    logger,
    connectionName: 'fetch-bench',
    topology: { retryDelaysMs: [1000, 5000, 30000, 120000, 600000], deliveryLimit: 5 },
  });
  const mongo = await new MongoClient(mongoUrl).connect();
  try {
    await proc.start();
    await amqp.start();
    sim.resetStats();
    const ids = keys.map((k) => partitionId(k));
    const parts = mongo.db().collection<{ _id: string; status: string }>(Collections.partitions);
    const started = performance.now();
    for (const k of keys)
      await amqp.publish('fetch', makeMessage('fetch.requested', 1, { partition: k, force: false }));
    let peakRssKb = 0;
    for (;;) {
      peakRssKb = Math.max(peakRssKb, proc.peakRssKb() ?? 0);
      const done = await parts.countDocuments({
        _id: { $in: ids },
        status: { $in: ['fetched', 'empty', 'failed'] },
      });
      if (done === ids.length) break;
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    peakRssKb = Math.max(peakRssKb, proc.peakRssKb() ?? 0);
    const failed = await parts.countDocuments({ _id: { $in: ids }, status: 'failed' });
    if (failed > 0) throw new Error(`${failed} partitions failed in run ${label}`);
    const st = sim.stats(false);
    return {
      label,
      partitions: keys.length,
      seconds,
      requests: st.totalRequests,
      peakInFlight: st.peakInFlight,
      peakRssMb: peakRssKb / 1024,
    };
  } finally {
    await proc.stop('SIGTERM', 20_000);
    await amqp.close();
    await mongo
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    await vhost.drop().catch(() => undefined);
  }
}

function row(r: Run): string {
  const perMin = (r.partitions / r.seconds) * 60;
  return `| ${r.label} | ${r.partitions} | ${r.seconds.toFixed(1)} | **${perMin.toFixed(0)}** | ${r.requests} | ${r.peakInFlight} | ${r.peakRssMb === undefined ? '-' : r.peakRssMb.toFixed(0)} |`;
}

async function throughput(lines: string[], dir: string): Promise<void> {
  const branches = Math.ceil(PARTITIONS / 2);
  const ds = await writeDataset({
    outDir: join(dir, 'ds'),
    branches,
    pos: [1, 2],
    from: DATE,
    to: DATE,
    seed: 3,
    edgeCases: false,
  });
  const keys = ds.partitions
    .slice(0, PARTITIONS)
    .map((p) => ({ branch: p.branch, pos: p.pos, date: p.date }));
  const open = ds.partitions.slice(0, PARTITIONS).filter((p) => p.files.length > 0);
  const files = open.reduce((a, p) => a + p.files.length, 0);
  const sim = await startUpstreamSimulator({
    dir: join(dir, 'ds'),
    faults: [{ kind: 'latency', ms: LATENCY_MS }],
  });
  try {
    lines.push(
      `### Throughput: ${keys.length} partitions (${open.length} with files, ${files} files, ${mb(ds.bytes)} MB), ${LATENCY_MS} ms injected latency per request`,
      '',
      '| client | partitions | seconds | partitions/min | upstream requests | peak concurrent at the simulator | fetcher peak RSS (MB) |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    // The legacy pattern: for each branch, POS 1 and 2 listed together, then files one by one.
    const targets = [...new Set(keys.map((k) => k.branch))].map((branch) => ({
      branch,
      date: DATE,
      poses: keys.filter((k) => k.branch === branch).map((k) => k.pos),
    }));
    sim.resetStats();
    const t = performance.now();
    const legacy = await legacyFetch(sim.url, targets, join(dir, 'legacy'));
    const st = sim.stats(false);
    lines.push(
      row({
        label: 'legacy pattern (2 lists at a time, files one by one)',
        partitions: legacy.partitions,
        seconds: (performance.now() - t) / 1000,
        requests: st.totalRequests,
        peakInFlight: st.peakInFlight,
        peakRssMb: undefined,
      }),
    );
    for (const cap of CONCURRENCY)
      lines.push(row(await runFetcher(sim, keys, cap, `fetcher, cap = prefetch = ${cap}`)));
  } finally {
    await sim.close();
  }
}

async function largeFile(lines: string[], dir: string): Promise<void> {
  const largeDir = join(dir, 'large');
  const key = { branch: 'LOAD', pos: 1, date: DATE };
  await mkdir(largeDir, { recursive: true });
  const big = await writeLargeRd5000(
    join(largeDir, `a_LOAD_1_rd5000_${DATE}_20-00_.csv`),
    LARGE_MB * 1_048_576,
    { ...key, seed: 5 },
  );
  const sim = await startUpstreamSimulator({ dir: largeDir });
  try {
    const run = await runFetcher(sim, [key], 1, 'large', { UPSTREAM_DOWNLOAD_TIMEOUT_MS: '1800000' });
    const verdict =
      (run.peakRssMb ?? Infinity) < RSS_LIMIT_MB
        ? `under the ${RSS_LIMIT_MB} MB budget`
        : `OVER the ${RSS_LIMIT_MB} MB budget`;
    lines.push(
      '',
      `### Memory: one ${mb(big.bytes)} MB rd5000 (${big.rows} rows) streamed into GridFS`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| fetcher process peak RSS (VmHWM) | **${run.peakRssMb?.toFixed(0) ?? '?'} MB** (${verdict}) |`,
      `| time | ${run.seconds.toFixed(1)} s (${mb(big.bytes / run.seconds)} MB/s, HTTP → sha256/row count → GridFS on FerretDB) |`,
    );
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const lines: string[] = ['## Fetch', ''];
  const dir = await mkdtemp(join(tmpdir(), 'posflow-fetch-bench-'));
  try {
    if (PARTITIONS > 0) await throughput(lines, dir);
    if (LARGE_MB > 0) await largeFile(lines, dir);
    lines.push(
      '',
      `One fetcher process, its own vhost and database per run; Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; peak RSS is the child's VmHWM from /proc.`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `fetch bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
