import { CombineRequestedV1, partitionId, type Stage } from '@posflow/contracts';
import type { JobsRepository, MonitorRepository, PartitionsRepository } from '@posflow/dal';
import type { Logger } from '@posflow/runtime';

export interface CombineDeadLetterDeps {
  partitions: Pick<PartitionsRepository, 'markFailed'>;
  jobs: Pick<JobsRepository, 'refresh'>;
  monitor: Pick<MonitorRepository, 'record'>;
  logger: Logger;
}

/**
 * The consumer's onDeadLetter hook: a combine that cannot succeed (poison
 * file, unknown partition, gave up retrying) marks its partition `failed`
 * (stage combine) with the reason, leaves a `partition-failed` monitor entry
 * and settles the partition's jobs. The worker itself carries on.
 */
export function createCombineDeadLetterHook(deps: CombineDeadLetterDeps) {
  return async (_stage: Stage, raw: unknown, reason: string): Promise<void> => {
    const parsed = CombineRequestedV1.safeParse(raw);
    if (!parsed.success) return; // an invalid message names no partition; the dead-letter queue keeps it
    const key = parsed.data.payload.partition;
    const attempts = Number(/after (\d+) attempts/.exec(reason)?.[1] ?? 1);
    const doc = await deps.partitions.markFailed(key, 'combine', reason, attempts);
    await deps.monitor.record({ partition: key, kind: 'partition-failed', key: 'combine', detail: reason });
    for (const id of doc?.jobIds ?? []) await deps.jobs.refresh(id);
    deps.logger.warn({ partition: partitionId(key), reason }, 'partition failed');
  };
}
