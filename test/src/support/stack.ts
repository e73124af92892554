import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBranches, writeDataset, writeReference, type DatasetSummary } from '@posflow/synth';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startPipeline, type Pipeline, type PipelineOptions } from './pipeline.js';

export interface StackOptions {
  /** First N made-up branches of @posflow/synth (default 3). */
  branches?: number;
  pos?: number[];
  from: string;
  to: string;
  seed?: number;
  /** Orders per day multiplier (1 = realistic; small keeps a test quick). */
  orders?: number;
  pipeline?: Omit<PipelineOptions, 'upstreamUrl' | 'referenceDir'>;
}

/** The whole system on one machine: generated exports, the upstream simulator, the four services. */
export interface Stack {
  dir: string;
  dataset: DatasetSummary;
  sim: UpstreamSimulator;
  pipeline: Pipeline;
  range: { from: string; to: string; branches: string[]; pos: number[] };
  /** Stops the services (SIGTERM), drops their vhost and database, stops the simulator, removes the files. */
  stop(): Promise<void>;
}

/**
 * Generates a dataset with @posflow/synth into a temporary folder, serves it
 * with the upstream simulator (in-process, ephemeral port), writes the
 * matching reference folder, and starts gateway, fetcher, combiner and
 * importer as processes on their own vhost and database (`startPipeline`:
 * free ports, each `/readyz` awaited). Everything is undone by `stop`, also
 * when start-up fails half-way.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'posflow-stack-'));
  const branches = defaultBranches(opts.branches ?? 3);
  const pos = opts.pos ?? [1];
  let sim: UpstreamSimulator | undefined;
  try {
    const dataset = await writeDataset({
      outDir: join(dir, 'exports'),
      branches,
      pos,
      from: opts.from,
      to: opts.to,
      seed: opts.seed ?? 11,
      edgeCases: false,
      scale: { orders: opts.orders ?? 0.3, loyalty: 0.01 },
    });
    await writeReference(join(dir, 'reference'), { branches, newBranches: dataset.newBranches });
    sim = await startUpstreamSimulator({ dir: join(dir, 'exports') });
    const pipeline = await startPipeline({
      upstreamUrl: sim.url,
      referenceDir: join(dir, 'reference'),
      ...opts.pipeline,
    });
    const started = sim;
    return {
      dir,
      dataset,
      sim,
      pipeline,
      range: { from: opts.from, to: opts.to, branches, pos },
      stop: async () => {
        await pipeline.stop();
        await started.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
