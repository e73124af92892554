import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { defaultBranches, writeDataset, writeReference, type DatasetSummary } from '@posflow/synth';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startPipeline, type Pipeline, type PipelineOptions } from '../support/pipeline.js';
import { enqueue, rowCounts, waitForJob, type JobView } from './e2e-helpers.js';

export interface WorldOptions {
  branches?: number;
  pos?: number[];
  from?: string;
  to?: string;
  seed?: number;
  /** Orders per day multiplier (1 = realistic). */
  orders?: number;
  pipeline?: Omit<PipelineOptions, 'upstreamUrl' | 'referenceDir'>;
}

/**
 * A generated month-let of exports served by the simulator, the whole
 * pipeline started against it, and the expected rows per partition, so loss
 * and duplicates are checked by counting rows against the source files.
 */
export interface World {
  dir: string;
  dataset: DatasetSummary;
  sim: UpstreamSimulator;
  p: Pipeline;
  range: { from: string; to: string; branches: string[]; pos: number[] };
  backfill(): Promise<string>;
  waitDone(jobId: string, timeoutMs?: number): Promise<JobView>;
  /** Asserts every partition is loaded (or empty when the store was closed) with exactly the expected rows, and nothing else is stored. */
  expectExactRows(): Promise<void>;
  close(): Promise<void>;
}

export async function createWorld(opts: WorldOptions = {}): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'posflow-world-'));
  const branches = defaultBranches(opts.branches ?? 3);
  const pos = opts.pos ?? [1, 2];
  const from = opts.from ?? '2026-01-05';
  const to = opts.to ?? '2026-01-08';
  const dataset = await writeDataset({
    outDir: join(dir, 'exports'),
    branches,
    pos,
    from,
    to,
    seed: opts.seed ?? 7,
    edgeCases: false,
    scale: { orders: opts.orders ?? 0.5, loyalty: 0.01 },
  });
  await writeReference(join(dir, 'reference'), { branches, newBranches: dataset.newBranches });
  const sim = await startUpstreamSimulator({ dir: join(dir, 'exports') });
  const p = await startPipeline({
    upstreamUrl: sim.url,
    referenceDir: join(dir, 'reference'),
    ...opts.pipeline,
  });
  const world: World = {
    dir,
    dataset,
    sim,
    p,
    range: { from, to, branches, pos },
    backfill: async () => (await enqueue(p, '/api/v1/fetch/range', { from, to, branches, pos })).jobId,
    waitDone: (jobId, timeoutMs = 300_000) => waitForJob(p, jobId, timeoutMs),
    expectExactRows: async () => {
      const db = (await p.mongo()).db();
      const counts = await rowCounts(db);
      const parts = await db
        .collection<{ _id: string; status: string; rowsLoaded: number }>('partitions')
        .find({})
        .toArray();
      const byId = new Map(parts.map((x) => [x._id, x]));
      let expectedTotal = 0;
      for (const s of dataset.partitions) {
        const doc = byId.get(s.id);
        expect(doc?.status, `${s.id} status`).toBe(s.closed ? 'empty' : 'loaded');
        if (s.closed) continue;
        expect(counts.visible.get(s.id), `${s.id} visible rows`).toBe(s.expectedOutputRows);
        expect(doc?.rowsLoaded, `${s.id} rowsLoaded`).toBe(s.expectedOutputRows);
        expectedTotal += s.expectedOutputRows;
      }
      // nothing stored beyond the current generations: no duplicates, no leftovers
      expect(counts.stored).toBe(expectedTotal);
    },
    close: async () => {
      await p.stop();
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

export async function partitionStatuses(w: World): Promise<Record<string, number>> {
  const db = (await w.p.mongo()).db();
  const rows = await db
    .collection('partitions')
    .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }])
    .toArray();
  return Object.fromEntries(rows.map((r) => [r._id, r.n]));
}
