import { CombineRequestedV1 } from '@posflow/contracts';
import { partitionDeadLetterHook, type PartitionFailureDeps } from '@posflow/dal';

export type CombineDeadLetterDeps = PartitionFailureDeps;

/**
 * The consumer's onDeadLetter hook: a combine that cannot succeed (poison
 * file, unknown partition, gave up retrying) marks its partition `failed`
 * (stage combine) with the reason, leaves a `partition-failed` monitor entry
 * and settles the partition's jobs. The worker itself carries on.
 */
export function createCombineDeadLetterHook(deps: CombineDeadLetterDeps) {
  return partitionDeadLetterHook(CombineRequestedV1, 'combine', deps);
}
