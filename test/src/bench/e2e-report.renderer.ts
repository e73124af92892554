import { cpus } from 'node:os';
import type { E2eBenchResult } from './e2e-bench.js';
import type { E2eDataset } from './e2e-dataset.js';
import type { LegacyRunResult, PipelineRunResult } from './pipeline-load.runner.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const one = (n: number): string => n.toFixed(1);
const mb = (bytes: number): string => int(bytes / 1_048_576);

/** The bench's figures as the Markdown section `## End to end` of docs/benchmarks.md. */
export function renderE2eReport(r: E2eBenchResult, chartRef: string): string {
  const c = r.config;
  const L: string[] = ['## End to end', ''];
  L.push(
    `\`pnpm bench:e2e\` (source \`test/src/bench/e2e.bench.ts\`), Node ${process.version}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}.`,
    `Every run starts the four services as processes (1 gateway, 1 combiner, 1 importer, N fetchers) against a fresh vhost and database,`,
    `enqueues the whole range with one \`POST /api/v1/fetch/range\` and waits for the job. The simulator adds ${c.latencyMs} ms to every request;`,
    `the fetchers share a global cap of ${c.upstreamCap} upstream requests (\`UPSTREAM_MAX_CONCURRENCY\`), fetcher prefetch ${c.fetcherPrefetch ?? '4 (default)'}.`,
    '',
    '### Datasets',
    '',
    '| month | partitions | closed (empty) | files | bytes | rd5000 rows | expected rows | orders × | loyalty × |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  const seen = new Set<string>();
  for (const ds of [r.full.dataset, ...r.scaling.map((s) => s.dataset)]) {
    if (seen.has(ds.exportsDir)) continue;
    seen.add(ds.exportsDir);
    L.push(`| ${monthLabel(ds)} | ${int(ds.partitions)} | ${ds.closedPartitions} | ${int(ds.files)} | ${mb(ds.bytes)} MB | ${int(ds.rd5000Rows)} | ${int(ds.expectedRows)} | ${ds.size.orders} | ${ds.size.loyalty} |`);
  }

  L.push('', '### Throughput', '', '| run | wall | partitions/min (end to end) | rows/s loaded | fetch stage done | fetch partitions/min | upstream requests | upstream peak in flight (cap) | job | rows loaded / expected | rows stored | dead letters |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const run of uniqueRuns(r)) L.push(runRow(run));
  for (const lg of r.legacy) L.push(legacyRow(lg));

  L.push('', '### Peak RSS and CPU per service process', '', '| run | process | peak RSS | CPU time | CPU per partition |', '| --- | --- | --- | --- | --- |');
  for (const run of uniqueRuns(r)) {
    for (const p of run.processes) {
      L.push(`| ${run.label} | ${p.name} | ${int(p.peakRssKb / 1024)} MB | ${one(p.cpuS)} s | ${int((p.cpuS * 1000) / run.dataset.partitions)} ms |`);
    }
  }

  L.push('', '### Queue depths', '', '| run | max posflow.fetch | max posflow.combine | max posflow.import |', '| --- | --- | --- | --- |');
  for (const run of uniqueRuns(r)) L.push(`| ${run.label} | ${int(run.maxDepth.fetch)} | ${int(run.maxDepth.combine)} | ${int(run.maxDepth.import)} |`);
  L.push('', r.chart.png ? `![queue depths over time](${chartRef})` : `Chart: SVG only (${r.chart.reason ?? 'no PNG'}).`);

  const scaling = r.scaling;
  const base = scaling[0];
  if (base && scaling.length > 1) {
    L.push('', '### Horizontal scaling (fetcher replicas)', '', '| fetchers | wall | partitions/min | × vs 1 | fetch partitions/min | × vs 1 | upstream peak in flight |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const run of scaling) {
      const fetchX = run.fetchPartitionsPerMin && base.fetchPartitionsPerMin ? `${(run.fetchPartitionsPerMin / base.fetchPartitionsPerMin).toFixed(2)}×` : 'n/a';
      L.push(`| ${run.fetchers} | ${int(run.wallS)} s | ${int(run.partitionsPerMin)} | ${(run.partitionsPerMin / base.partitionsPerMin).toFixed(2)}× | ${run.fetchPartitionsPerMin ? int(run.fetchPartitionsPerMin) : 'n/a'} | ${fetchX} | ${run.upstream.peakInFlight} (cap ${run.upstreamCap}) |`);
    }
  }
  for (const lg of r.legacy) {
    const run = uniqueRuns(r).find((x) => x.dataset.exportsDir === lg.dataset.exportsDir && x.fetchers === Math.max(...r.config.fetchers));
    if (!run) continue;
    L.push('', `Legacy fetch pattern on ${monthLabel(lg.dataset)}: ${int(lg.wallS)} s just to download (${int(lg.partitionsPerMin)} partitions/min);`, `the pipeline (${run.fetchers} fetchers) fetched, combined and loaded the same month in ${int(run.wallS)} s (${(run.wallS / lg.wallS).toFixed(2)}× the legacy download time); its fetch stage alone took ${run.fetchDoneS ? `${int(run.fetchDoneS)} s` : 'n/a'}.`);
  }
  L.push('', 'Queue depths come from the RabbitMQ management API (ready + unacknowledged), which refreshes its figures every 5 s: the curves move in steps.', 'CPU time is user + system of each service process (/proc/<pid>/stat); FerretDB/PostgreSQL and RabbitMQ share the same 2 cores and are not counted.');
  return `${L.join('\n')}\n`;
}

function uniqueRuns(r: E2eBenchResult): PipelineRunResult[] {
  return [r.full, ...r.scaling.filter((s) => s !== r.full)];
}

function monthLabel(ds: E2eDataset): string {
  return `${ds.size.branches} branches × ${ds.size.days} day${ds.size.days > 1 ? 's' : ''} × POS ${ds.size.pos.join('/')} from ${ds.size.from}`;
}

function runRow(run: PipelineRunResult): string {
  const rowsOk = `${int(run.job.rowsLoaded)} / ${int(run.dataset.expectedRows)}`;
  const counts = Object.entries(run.job.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  return `| ${run.label} | ${int(run.wallS)} s | ${int(run.partitionsPerMin)} | ${int(run.rowsPerS)} | ${run.fetchDoneS ? `${int(run.fetchDoneS)} s` : 'n/a'} | ${run.fetchPartitionsPerMin ? int(run.fetchPartitionsPerMin) : 'n/a'} | ${int(run.upstream.requests)} | ${run.upstream.peakInFlight} (${run.upstreamCap}) | ${run.job.status}: ${counts} | ${rowsOk} | ${run.rowsStored < 0 ? "not counted" : int(run.rowsStored)} | ${run.deadLetters} |`;
}

function legacyRow(l: LegacyRunResult): string {
  return `| legacy fetch pattern, ${int(l.partitions)} partitions (download only) | ${int(l.wallS)} s | ${int(l.partitionsPerMin)} (download only) | n/a | ${int(l.wallS)} s | ${int(l.partitionsPerMin)} | ${int(l.upstream.requests)} | ${l.upstream.peakInFlight} (none) | n/a | n/a | n/a | n/a |`;
}
