import { readFileSync } from 'node:fs';
import type { Db } from 'mongodb';
import { STAGES, type Stage } from '@posflow/contracts';
import { TEST_INFRA } from '@posflow/runtime/testing';
import type { ServiceProcess } from '../support/processes.js';

/** One sample of the pipeline, `t` seconds after the backfill was enqueued. */
export interface PipelineSample {
  t: number;
  /** Messages in each work queue (ready + unacknowledged), from the management API. */
  depth: Record<Stage, number>;
  /** Partitions whose fetch is over (any status past `fetching`). */
  fetched: number;
  /** Partitions in a terminal status (loaded, empty, failed). */
  finished: number;
}

export interface ProcessUsage {
  name: string;
  /** VmHWM of the process, kB. */
  peakRssKb: number;
  /** User + system CPU time, seconds. */
  cpuS: number;
}

const PRE_FETCH = new Set(['pending', 'fetching']);
const TERMINAL = new Set(['loaded', 'empty', 'failed']);
// Linux reports utime/stime in clock ticks; 100 Hz on every kernel we run on.
const CLOCK_TICKS = 100;

/**
 * Samples queue depths and partition progress once a period while a backfill
 * runs, so the bench can chart where messages pile up and tell when the fetch
 * stage (not just the whole pipeline) was done. Sampling is best effort: a
 * failed read is skipped, never fatal.
 */
export class PipelineSampler {
  readonly samples: PipelineSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private startedAt = 0;
  /** Seconds after start when every partition was past `fetching`, and when all were terminal. */
  fetchDoneS: number | undefined;
  allDoneS: number | undefined;

  /** The last status count read, and when (statuses are read less often than depths, see below). */
  private lastProgress = { fetched: 0, finished: 0 };
  private progressAt = -Infinity;
  /**
   * Counting statuses reads every partition (on FerretDB 1.24 a whole-collection
   * aggregate in FerretDB itself): read them every `total × 5 ms` (9 s for a
   * 1,800-partition month, every tick for small runs) so the bench's own
   * sampling stays a small, constant share of the database's work.
   */
  private readonly progressEveryMs: number;

  constructor(
    private readonly vhost: string,
    private readonly db: Db,
    private readonly total: number,
    private readonly everyMs = 1_000,
  ) {
    this.progressEveryMs = Math.max(everyMs, total * 5);
  }

  start(): void {
    this.startedAt = Date.now();
    this.timer = setInterval(() => void this.tick(), this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined; // the last tick reads the statuses
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
    await this.tick();
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const t = (Date.now() - this.startedAt) / 1000;
      const due = Date.now() - this.progressAt >= this.progressEveryMs || this.timer === undefined;
      const [depth, progress] = await Promise.all([
        queueDepths(this.vhost),
        due ? this.progress() : this.lastProgress,
      ]);
      if (due) {
        this.lastProgress = progress;
        this.progressAt = Date.now();
      }
      this.samples.push({ t, depth, ...progress });
      if (this.fetchDoneS === undefined && progress.fetched >= this.total) this.fetchDoneS = t;
      if (this.allDoneS === undefined && progress.finished >= this.total) this.allDoneS = t;
    } catch {
      // a missed sample only thins the chart
    } finally {
      this.busy = false;
    }
  }

  private async progress(): Promise<{ fetched: number; finished: number }> {
    const rows = await this.db
      .collection('partitions')
      .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }])
      .toArray();
    let fetched = 0;
    let finished = 0;
    for (const r of rows) {
      if (!PRE_FETCH.has(r._id)) fetched += r.n;
      if (TERMINAL.has(r._id)) finished += r.n;
    }
    return { fetched, finished };
  }
}

/** Depth of the three work queues of a vhost in one management API call. */
export async function queueDepths(vhost: string): Promise<Record<Stage, number>> {
  const res = await fetch(
    `${TEST_INFRA.management}/api/queues/${encodeURIComponent(vhost)}?columns=name,messages`,
    { headers: { authorization: TEST_INFRA.managementAuth }, signal: AbortSignal.timeout(5_000) },
  );
  if (!res.ok) throw new Error(`management API: ${res.status}`);
  const queues = (await res.json()) as Array<{ name: string; messages?: number }>;
  const depth = { fetch: 0, combine: 0, import: 0 };
  for (const stage of STAGES) depth[stage] = queues.find((q) => q.name === `posflow.${stage}`)?.messages ?? 0;
  return depth;
}

/** Messages sitting in the dead-letter queues (a healthy run has none). */
export async function deadLetters(vhost: string): Promise<number> {
  const res = await fetch(
    `${TEST_INFRA.management}/api/queues/${encodeURIComponent(vhost)}?columns=name,messages`,
    { headers: { authorization: TEST_INFRA.managementAuth }, signal: AbortSignal.timeout(5_000) },
  );
  if (!res.ok) return -1;
  const queues = (await res.json()) as Array<{ name: string; messages?: number }>;
  return queues.filter((q) => q.name.endsWith('.dead')).reduce((a, q) => a + (q.messages ?? 0), 0);
}

/** Peak RSS and CPU time of a live service process (read before it is stopped). */
export function processUsage(p: ServiceProcess): ProcessUsage {
  const pid = p.child?.pid;
  return { name: p.name, peakRssKb: p.peakRssKb() ?? 0, cpuS: pid ? cpuSeconds(pid) : 0 };
}

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
