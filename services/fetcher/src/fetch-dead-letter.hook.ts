import { FetchRequestedV1, type Stage } from '@posflow/contracts';
import type { JobsRepository, MonitorRepository, PartitionsRepository } from '@posflow/dal';
import type { Logger } from '@posflow/runtime';

export interface DeadLetterDeps {
  partitions: Pick<PartitionsRepository, 'markFailed'>;
  jobs: Pick<JobsRepository, 'refresh'>;
  monitor: Pick<MonitorRepository, 'record'>;
  logger: Logger;
}

/**
 * The consumer's onDeadLetter hook: a fetch that gave up (or could not be
 * handled) marks its partition `failed` with the reason, leaves a
 * `partition-failed` monitor entry and settles the partition's jobs.
 */
export function createFetchDeadLetterHook(deps: DeadLetterDeps) {
  return async (_stage: Stage, raw: unknown, reason: string): Promise<void> => {
    const parsed = FetchRequestedV1.safeParse(raw);
    if (!parsed.success) return; // an invalid message names no partition; the dead-letter queue keeps it
    const key = parsed.data.payload.partition;
    const attempts = Number(/after (\d+) attempts/.exec(reason)?.[1] ?? 1);
    const doc = await deps.partitions.markFailed(key, 'fetch', reason, attempts);
    await deps.monitor.record({ partition: key, kind: 'partition-failed', key: 'fetch', detail: reason });
    for (const id of doc?.jobIds ?? []) await deps.jobs.refresh(id);
    deps.logger.warn({ partition: `${key.branch}_${key.pos}_${key.date}`, reason }, 'partition failed');
  };
}
