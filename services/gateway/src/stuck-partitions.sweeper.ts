import type { PartitionKey } from '@posflow/contracts';
import { IN_FLIGHT, type PartitionViewsRepository } from '@posflow/dal';
import type { Logger } from '@posflow/runtime';
import type { EnqueueService } from './enqueue.service.js';

/**
 * Re-enqueues partitions that sat in a working status (fetching … importing)
 * longer than `stuckAfterMs`: their message was lost to something the
 * at-least-once path cannot see (a dead-letter hook that failed during a
 * database outage, a queue purged by hand). The re-fetch runs the whole
 * chain again: a partition a later stage held (combining … importing) is
 * first moved to `stale` (EnqueueService), since the fetcher skips those.
 * Every stage is idempotent and guarded by generations, so a partition whose
 * message was merely slow is fetched twice, never loaded twice. Each sweep that finds any makes one job (kind `missing`, created by
 * `sweeper`) so operators see what was re-queued and follow it like any other.
 * main.ts runs `sweep` on a timer (an IntervalTask).
 */
export class StuckPartitionSweeper {
  constructor(
    private readonly deps: {
      views: Pick<PartitionViewsRepository, 'staleInFlight'>;
      enqueue: Pick<EnqueueService, 'fetch'>;
      logger: Logger;
      now: () => Date;
      /** Must exceed the longest legitimate stay in one status (retries included). */
      stuckAfterMs: number;
    },
  ) {}

  /** One sweep; returns the partitions re-enqueued (and the job, when there were any). */
  async sweep(): Promise<{ keys: PartitionKey[]; jobId?: string }> {
    const cutoff = new Date(this.deps.now().getTime() - this.deps.stuckAfterMs);
    const stale = await this.deps.views.staleInFlight(cutoff, IN_FLIGHT);
    if (stale.length === 0) return { keys: [] };
    const keys = stale.map(({ branch, pos, date }) => ({ branch, pos, date }));
    const result = await this.deps.enqueue.fetch({
      kind: 'missing',
      request: {
        reason: `in a working status for more than ${Math.round(this.deps.stuckAfterMs / 60_000)} min`,
        partitions: stale.map((p) => `${p._id} (${p.status} since ${p.updatedAt.toISOString()})`),
      },
      keys,
      force: false,
      createdBy: 'sweeper',
    });
    this.deps.logger.warn({ partitions: stale.length, jobId: result.jobId }, 'stuck partitions re-enqueued');
    return { keys, jobId: result.jobId };
  }
}
