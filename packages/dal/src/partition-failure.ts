import { partitionId, type PartitionDoc, type PartitionKey, type Stage } from '@posflow/contracts';
import type { Logger } from '@posflow/runtime';
import type { z } from 'zod';
import type { JobsRepository } from './jobs.repository.js';
import type { MonitorRepository } from './monitor.repository.js';
import type { PartitionsRepository } from './partitions.repository.js';

export interface PartitionFailureDeps {
  partitions: Pick<PartitionsRepository, 'markFailed'>;
  jobs: Pick<JobsRepository, 'refresh'>;
  monitor: Pick<MonitorRepository, 'record'>;
  logger: Logger;
}

/**
 * What every stage does when it gives up on a partition: mark it `failed`
 * with the stage and reason, leave a `partition-failed` monitor entry and
 * settle the partition's jobs. Returns the failed partition (null when it had
 * already moved on).
 */
export async function recordPartitionFailure(
  deps: PartitionFailureDeps,
  key: PartitionKey,
  stage: Stage,
  reason: string,
): Promise<PartitionDoc | null> {
  const attempts = Number(/after (\d+) attempts/.exec(reason)?.[1] ?? 1);
  const doc = await deps.partitions.markFailed(key, stage, reason, attempts);
  if (doc) {
    await deps.monitor.record({ partition: key, kind: 'partition-failed', key: stage, detail: reason });
    for (const id of doc.jobIds ?? []) await deps.jobs.refresh(id);
  }
  deps.logger.warn({ partition: partitionId(key), reason }, 'partition failed');
  return doc;
}

/**
 * The consumer's onDeadLetter hook for a stage whose messages carry
 * `payload.partition`: an invalid message names no partition (the
 * dead-letter queue keeps it); a valid one fails its partition.
 */
export function partitionDeadLetterHook(
  schema: z.ZodType<{ payload: { partition: PartitionKey } }>,
  stage: Stage,
  deps: PartitionFailureDeps,
) {
  return async (_stage: Stage, raw: unknown, reason: string): Promise<void> => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return;
    await recordPartitionFailure(deps, parsed.data.payload.partition, stage, reason);
  };
}
