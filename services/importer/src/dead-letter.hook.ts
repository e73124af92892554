import { ImportRequestedV1, PartitionKey, partitionId, type Stage } from '@posflow/contracts';
import {
  recordPartitionFailure,
  type JobsRepository,
  type MonitorRepository,
  type PartitionsRepository,
} from '@posflow/dal';
import { errorMessage, type Logger } from '@posflow/runtime';
import type { ImportDeps } from './import-partition.handler.js';
import { pgOf } from './domain/transaction-doc.js';

export interface DeadLetterDeps {
  partitions: Pick<PartitionsRepository, 'get' | 'markFailed'>;
  jobs: Pick<JobsRepository, 'refresh'>;
  monitor: Pick<MonitorRepository, 'record'>;
  transactions: ImportDeps['transactions'];
  rollups: ImportDeps['rollups'];
  summaries: ImportDeps['summaries'];
  logger: Logger;
}

/**
 * When an import message is dead-lettered: the partition becomes `failed`
 * (stage import, with the reason) and an operator sees a `partition-failed`
 * entry. Rows and rollups the failed attempt wrote are removed unless they
 * are the current generation (they never are: the swap is the last write).
 * The previously loaded generation, if any, stays readable.
 */
export function createDeadLetterHook(deps: DeadLetterDeps) {
  return async (_stage: Stage, raw: unknown, reason: string): Promise<void> => {
    const msg = ImportRequestedV1.safeParse(raw);
    const keyRes = PartitionKey.safeParse(
      msg.success
        ? msg.data.payload.partition
        : (raw as { payload?: { partition?: unknown } })?.payload?.partition,
    );
    if (!keyRes.success) {
      deps.logger.warn({ reason }, 'dead-lettered import names no partition');
      return;
    }
    const key = keyRes.data;
    await recordPartitionFailure(deps, key, 'import', reason);
    if (msg.success) {
      const g = msg.data.payload.generation;
      const now = await deps.partitions.get(key);
      if (now && now.generation !== g) {
        const pg = pgOf(partitionId(key), g);
        try {
          await deps.transactions.deleteGeneration(pg);
          await deps.rollups.deleteGeneration(pg);
          await deps.summaries.deleteGeneration(pg);
        } catch (err) {
          deps.logger.warn({ err: errorMessage(err), pg }, 'could not remove the failed generation');
        }
      }
    }
  };
}
