import {
  partitionId,
  type EnqueueResult,
  type JobDoc,
  type PartitionKey,
  type PartitionStatus,
  type Stage,
} from '@posflow/contracts';
import type { JobsRepository, PartitionsRepository, PartitionViewsRepository } from '@posflow/dal';
import { makeMessage } from '@posflow/runtime';
import { countReasons, planFetch, type EnqueuePlan } from './domain/enqueue-plan.js';

/** Publishes an envelope to a stage's work queue, resolving once the broker confirmed it (AmqpClient). */
export interface Publisher {
  publish(stage: Stage, message: { id: string }): Promise<void>;
}

const PUBLISH_CONCURRENCY = 32;
/** Statuses the fetcher skips ("busy"): a partition stuck in one is moved to `stale` before its re-fetch. */
const HELD_BY_LATER_STAGE: ReadonlySet<PartitionStatus> = new Set(['combining', 'combined', 'importing']);
const REGISTER_CHUNK = 1_000;

async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Turns "fetch / rebuild these partitions" into a job, registered partitions
 * and one confirmed message per partition that needs work. The job lists
 * every requested partition (skipped ones included), so its progress tells
 * the whole story; only planned ones get a message.
 */
export class EnqueueService {
  constructor(
    private readonly deps: {
      partitions: PartitionsRepository;
      views: PartitionViewsRepository;
      jobs: JobsRepository;
      publisher: Publisher;
      now: () => Date;
      /** A busy partition updated more recently than this is not enqueued again. */
      inFlightFreshMs: number;
    },
  ) {}

  async plan(
    keys: readonly PartitionKey[],
    force: boolean,
  ): Promise<EnqueuePlan & { statusOf: (k: PartitionKey) => PartitionStatus | undefined }> {
    const existing = new Map((await this.deps.views.byIds(keys.map(partitionId))).map((d) => [d._id, d]));
    const plan = planFetch(keys, existing, {
      force,
      now: this.deps.now(),
      inFlightFreshMs: this.deps.inFlightFreshMs,
      idOf: partitionId,
    });
    return { ...plan, statusOf: (k) => existing.get(partitionId(k))?.status };
  }

  async fetch(args: {
    kind: JobDoc['kind'];
    request: Record<string, unknown>;
    keys: readonly PartitionKey[];
    force: boolean;
    createdBy: string;
  }): Promise<EnqueueResult> {
    const plan = await this.plan(args.keys, args.force);
    const job = await this.createJob(args.kind, args.request, args.keys, args.createdBy);
    await this.prepareForFetch(plan.enqueue, plan.statusOf);
    await eachLimit(plan.enqueue, PUBLISH_CONCURRENCY, (partition) =>
      this.deps.publisher.publish(
        'fetch',
        makeMessage('fetch.requested', 1, { partition, jobId: job._id, force: args.force }),
      ),
    );
    return result(job._id, args.keys.length, plan);
  }

  /** Rebuilds partitions from their stored raw files (no upstream traffic). */
  async recombine(args: {
    request: Record<string, unknown>;
    keys: readonly PartitionKey[];
    createdBy: string;
  }): Promise<EnqueueResult> {
    const plan = await this.plan(args.keys, true);
    const job = await this.createJob('recombine', args.request, args.keys, args.createdBy);
    await this.publishCombine(
      plan.enqueue.filter((k) => plan.statusOf(k) !== 'loaded'),
      plan.enqueue.filter((k) => plan.statusOf(k) === 'loaded'),
      job._id,
      'recombine',
    );
    return result(job._id, args.keys.length, plan);
  }

  /** Loaded partitions become `stale` (still readable) so the job does not count them done before the rebuild. */
  async publishCombine(
    keys: readonly PartitionKey[],
    loaded: readonly PartitionKey[],
    jobId: string,
    reason: 'recombine' | 'upload',
  ): Promise<void> {
    for (const k of loaded) await this.deps.partitions.transition(k, ['loaded'], 'stale');
    await eachLimit([...keys, ...loaded], PUBLISH_CONCURRENCY, (partition) =>
      this.deps.publisher.publish(
        'combine',
        makeMessage('combine.requested', 1, { partition, jobId, reason }),
      ),
    );
  }

  /** Re-fetches a job's failed partitions (a fetch re-runs the whole chain; unchanged files are not stored twice). */
  async retryFailed(job: JobDoc): Promise<{ jobId: string; requeued: number }> {
    const failed = await this.deps.views.failedForJob(job._id, 100_000);
    const keys = failed.map((p) => ({ branch: p.branch, pos: p.pos, date: p.date }));
    if (keys.length === 0) return { jobId: job._id, requeued: 0 };
    await this.deps.jobs.reopen(job._id);
    await this.prepareForFetch(keys, () => 'failed');
    await eachLimit(keys, PUBLISH_CONCURRENCY, (partition) =>
      this.deps.publisher.publish(
        'fetch',
        makeMessage('fetch.requested', 1, { partition, jobId: job._id, force: false }),
      ),
    );
    return { jobId: job._id, requeued: keys.length };
  }

  async createJob(
    kind: JobDoc['kind'],
    request: Record<string, unknown>,
    keys: readonly PartitionKey[],
    createdBy: string,
  ): Promise<JobDoc> {
    const branchesCovered = [...new Set(keys.map((k) => k.branch))].sort();
    const job = await this.deps.jobs.create({
      kind,
      request: { ...request, branchesCovered },
      partitions: keys.map(partitionId),
      createdBy,
    });
    for (let i = 0; i < keys.length; i += REGISTER_CHUNK)
      await this.deps.partitions.register(keys.slice(i, i + REGISTER_CHUNK), job._id);
    return job;
  }

  /**
   * Puts partitions back into a status the fetcher starts from before their
   * message goes out. Finished-looking ones, so the job is not settled on
   * their old status: failed → pending, loaded → stale. (`empty` has no such
   * move; a re-fetched empty day counts as done until the fetcher picks it
   * up.) Stuck ones (`combining`, `combined`, `importing` and planned anyway:
   * no update within the in-flight window, their message lost) → stale: the
   * fetcher skips a partition a later stage holds, so without this move a
   * stuck partition would stay stuck. A worker still busy with it finds its
   * claim gone and discards its output (generations guard every stage).
   */
  private async prepareForFetch(
    keys: readonly PartitionKey[],
    statusOf: (k: PartitionKey) => PartitionStatus | undefined,
  ): Promise<void> {
    for (const k of keys) {
      const status = statusOf(k);
      if (status === 'failed')
        await this.deps.partitions.transition(k, ['failed'], 'pending', {}, {}, ['failure']);
      else if (status === 'loaded' || (status && HELD_BY_LATER_STAGE.has(status)))
        await this.deps.partitions.transition(k, [status], 'stale');
    }
  }
}

function result(jobId: string, partitions: number, plan: EnqueuePlan): EnqueueResult {
  return {
    jobId,
    partitions,
    enqueued: plan.enqueue.length,
    skipped: plan.skipped.length,
    skippedBy: countReasons(plan.skipped),
  };
}
