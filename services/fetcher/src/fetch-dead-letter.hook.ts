import { FetchRequestedV1 } from '@posflow/contracts';
import { partitionDeadLetterHook, type PartitionFailureDeps } from '@posflow/dal';

export type DeadLetterDeps = PartitionFailureDeps;

/**
 * The consumer's onDeadLetter hook: a fetch that gave up (or could not be
 * handled) marks its partition `failed` with the reason, leaves a
 * `partition-failed` monitor entry and settles the partition's jobs.
 */
export function createFetchDeadLetterHook(deps: DeadLetterDeps) {
  return partitionDeadLetterHook(FetchRequestedV1, 'fetch', deps);
}
