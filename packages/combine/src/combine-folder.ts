import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  combineFolderGroup,
  type FolderGroupResult,
  type FolderGroupSettings,
} from './combine-folder-group.js';
import type { GroupOutcome, GroupTask } from './combine-folder.worker.js';
import { DroppedCsvWriter } from './dropped-csv.writer.js';
import { groupExportFiles, type ExportGroup } from './export-files.grouping.js';
import type { ReferenceData } from './reference-data.js';

export interface CombineFolderOptions {
  inputDir: string;
  outputDir: string;
  reference: ReferenceData;
  /** Groups combined at the same time, over all threads (default 4): a few per thread overlap file I/O. */
  concurrency?: number;
  /** Worker threads (default: one per core, `defaultWorkers()`; at most one per group); 0 combines on the calling thread. */
  workers?: number;
  spillThresholdChars?: number;
  tmpDir?: string;
}

export interface CombineFolderSummary {
  groups: number;
  rows: number;
  /** Entries in dropped.csv: dropped rows, groups without rd5000, unrecognised file names. */
  dropped: number;
  ms: number;
}

/**
 * The `pnpm combine` work: every group of a folder of POS exports, one
 * `<BRANCH>_<POS>_<DATE>.csv` each (legacy format), and `dropped.csv` with
 * every row or file that did not make it, with its reason. Groups are
 * combined on worker threads; dropped.csv is the same whatever the threads
 * and their timing: unrecognised names first, then each group's rows in
 * group order, line order within a group. Throws on unreadable input.
 */
export async function combineFolder(options: CombineFolderOptions): Promise<CombineFolderSummary> {
  const started = performance.now();
  const entries = await readdir(options.inputDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile()).map((e) => e.name);
  await mkdir(options.outputDir, { recursive: true });
  const droppedDir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'posflow-combine-dropped-'));
  const settings: FolderGroupSettings = {
    inputDir: options.inputDir,
    outputDir: options.outputDir,
    droppedDir,
    reference: options.reference,
    spillThresholdChars: options.spillThresholdChars,
    tmpDir: options.tmpDir,
  };
  const workers = existsSync(WORKER_FILE) ? (options.workers ?? defaultWorkers()) : 0;
  // Threads start (a new isolate, the engine's modules: ~60 ms) while the names are grouped (as long
  // for 3,000 names): as many as there can be groups of up to seven files; more once the groups are known.
  const threads = new StartedWorkers(Math.min(workers, Math.ceil(names.length / 7)), settings);
  const dropped = new DroppedCsvWriter(join(options.outputDir, 'dropped.csv'));
  let rows = 0;
  let groupCount = 0;
  try {
    const { groups, unrecognised } = groupExportFiles(names);
    groupCount = groups.length;
    for (const name of unrecognised) {
      dropped.write('', {
        reason: 'unrecognised-file-name',
        file: name,
        line: 0,
        raw: '',
        detail: 'not <prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv',
      });
    }
    const concurrency = options.concurrency ?? 4;
    const count = Math.min(workers, groups.length);
    const results =
      count > 0
        ? await combineOnWorkers(groups, threads, count, Math.ceil(concurrency / count))
        : await combineHere(groups, settings, concurrency);
    for (const result of results) {
      rows += result.rows;
      if (result.droppedFile !== null) await dropped.append(result.droppedFile, result.dropped);
    }
  } finally {
    await threads.close();
    await dropped.close();
    await rm(droppedDir, { recursive: true, force: true });
  }
  return { groups: groupCount, rows, dropped: dropped.count, ms: Math.round(performance.now() - started) };
}

/**
 * One worker thread per core. Each thread pays its own start, JIT warm-up and
 * caches, which on the benchmark's 480 groups is worth it when the cores are
 * free (2 threads: 1.3-1.4 s for 2.4-2.7 CPU-s, 1 thread: 1.9 s for 2.3-2.4
 * CPU-s, load ~1.5 on 2 cores) but not when other work holds them (load ~5:
 * 2 threads were the slowest); `workers` / `--workers` then says better.
 */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Absent when the package runs from its TypeScript sources (tests): the groups are then combined here. */
const WORKER_FILE = fileURLToPath(new URL('./combine-folder.worker.js', import.meta.url));

/**
 * A worker's heap, set here so the CLI needs no V8 flags: a 16 MB young
 * generation, and an old generation cap far above the live data (the reverse
 * buffer's 4 Mi characters, the lookups) that bounds it rather than tunes it.
 * With V8's defaults the garbage of a 300 MB rd5000 took the RSS to ~280 MB;
 * with these, ~155 MB, for the same CPU time.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1024 };

async function combineHere(
  groups: readonly ExportGroup[],
  settings: FolderGroupSettings,
  concurrency: number,
): Promise<FolderGroupResult[]> {
  const results: FolderGroupResult[] = [];
  await forEachBounded(groups, concurrency, async (group, index) => {
    results[index] = await combineFolderGroup(group, settings);
  });
  return results;
}

/**
 * The groups spread over `threads` worker threads (one group too: the
 * worker's heap limits keep a huge rd5000's RSS down), `perThread` at a time
 * each, the next group to whichever has room: the next day of the branch and
 * POS it is working on (its loyalty cache then reads only the new lines of
 * that log), else a branch and POS no thread has taken yet, else the next of
 * the one with most days left. As `forEachBounded`: after a failure nothing
 * new starts, the rest finish, the first error is rethrown.
 */
async function combineOnWorkers(
  groups: readonly ExportGroup[],
  started: StartedWorkers,
  threads: number,
  perThread: number,
): Promise<FolderGroupResult[]> {
  const results: FolderGroupResult[] = [];
  const queue = new SlotQueue(groups);
  let failure: { error: unknown } | undefined;
  const thread = (): Promise<void> =>
    new Promise((resolve) => {
      const { worker, early } = started.take();
      // Whatever befell it before it was taken (a failed start) counts as it happens now.
      if (early.error !== undefined) failure ??= { error: early.error };
      if (early.exitCode !== undefined) {
        failure ??= { error: new Error(`combine worker exited with code ${early.exitCode}`) };
        resolve();
        return;
      }
      const own: Own = { days: null };
      let inFlight = 0;
      let stopped = false;
      const stop = (): void => {
        if (stopped) return;
        stopped = true;
        worker.terminate().then(
          () => resolve(),
          () => resolve(),
        );
      };
      const dispatch = (): void => {
        while (failure === undefined && inFlight < perThread) {
          const index = queue.take(own);
          if (index === undefined) break;
          inFlight++;
          worker.postMessage({ index, group: groups[index] as ExportGroup } satisfies GroupTask);
        }
        if (inFlight === 0) stop();
      };
      worker.on('message', (outcome: GroupOutcome) => {
        inFlight--;
        if ('error' in outcome) failure ??= { error: outcome.error };
        else results[outcome.index] = outcome.result;
        dispatch();
      });
      worker.on('error', (error) => {
        failure ??= { error };
        stop();
      });
      worker.on('exit', (code) => {
        if (!stopped && inFlight > 0)
          failure ??= { error: new Error(`combine worker exited with code ${code}`) };
        stopped = true;
        resolve();
      });
      dispatch();
    });
  await Promise.all(Array.from({ length: threads }, thread));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** A worker thread and what happened to it before it was handed out. */
interface StartedWorker {
  worker: Worker;
  early: { error?: unknown; exitCode?: number };
  /** Removes the listeners that recorded `early` (the taker attaches its own at once). */
  detach: () => void;
}

/**
 * Worker threads started ahead of use, so they load while the caller still
 * prepares; handed out one by one (a new one when none is left), the rest
 * terminated by `close`.
 */
class StartedWorkers {
  private readonly idle: StartedWorker[] = [];

  constructor(
    count: number,
    private readonly settings: FolderGroupSettings,
  ) {
    for (let i = 0; i < count; i++) this.idle.push(this.start());
  }

  take(): StartedWorker {
    const started = this.idle.shift() ?? this.start();
    started.detach();
    return started;
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map(({ worker }) => worker.terminate().catch(() => undefined)));
  }

  private start(): StartedWorker {
    const worker = new Worker(WORKER_FILE, { workerData: this.settings, resourceLimits: WORKER_HEAP });
    const early: StartedWorker['early'] = {};
    // Until taken (then the taker's listeners see what follows); an 'error' must always have a listener.
    const onError = (error: unknown): void => {
      early.error ??= error;
    };
    const onExit = (code: number): void => {
      early.exitCode = code;
    };
    worker.on('error', onError);
    worker.once('exit', onExit);
    const detach = (): void => {
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    return { worker, early, detach };
  }
}

/** What a thread is working through: the group indexes left of its branch and POS. */
interface Own {
  days: number[] | null;
}

/** The groups by branch and POS (`BRANCH_POS`), each in group order (date order): see `combineOnWorkers`. */
class SlotQueue {
  private readonly slots: number[][];
  private unclaimed = 0;

  constructor(groups: readonly ExportGroup[]) {
    const bySlot = new Map<string, number[]>();
    for (const [index, group] of groups.entries()) {
      const slot = `${group.key.branch}_${group.key.pos}`;
      const days = bySlot.get(slot);
      if (days === undefined) bySlot.set(slot, [index]);
      else days.push(index);
    }
    this.slots = [...bySlot.values()];
  }

  take(own: Own): number | undefined {
    if (own.days === null || own.days.length === 0) {
      if (this.unclaimed < this.slots.length) own.days = this.slots[this.unclaimed++] as number[];
      else {
        own.days = null;
        for (const days of this.slots) if (days.length > (own.days?.length ?? 0)) own.days = days;
      }
    }
    return own.days?.shift();
  }
}

/** Runs `work` over `items`, at most `limit` at a time; after a failure starts nothing new, waits for the rest, rethrows. */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}
