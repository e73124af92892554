import { partitionId, type JobProgressView } from '@posflow/contracts';
import type { JobsRepository, PartitionViewsRepository } from '@posflow/dal';
import type { BranchScope } from './auth/branch-scope.js';

/** A branch-scoped key sees the jobs whose partitions are all within its branches. */
export function jobVisible(scope: BranchScope, request: Record<string, unknown>): boolean {
  if (!scope.scoped) return true;
  const covered = request.branchesCovered;
  return Array.isArray(covered) && covered.every((b) => typeof b === 'string' && scope.allows(b));
}

/**
 * A job's progress: status settled by `jobs.refresh`, counts by partition
 * status, rows, and (optionally) the failed partitions with their reasons.
 * Null when the job does not exist or is not visible to the scope.
 */
export async function readJobProgress(
  deps: { jobs: JobsRepository; partitionViews: PartitionViewsRepository },
  id: string,
  scope: BranchScope,
  withFailures: boolean,
): Promise<JobProgressView | null> {
  const progress = await deps.jobs.refresh(id);
  if (!progress || !jobVisible(scope, progress.job.request)) return null;
  const { job, counts, done, total } = progress;
  const rows = await deps.partitionViews.jobRows(id);
  const failures = withFailures
    ? (await deps.partitionViews.failedForJob(id)).map((p) => ({
        partition: partitionId(p),
        stage: p.failure?.stage ?? 'unknown',
        reason: p.failure?.reason ?? '',
        attempts: p.failure?.attempts ?? 0,
      }))
    : undefined;
  return {
    id: job._id,
    kind: job.kind,
    status: job.status,
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
    total,
    done,
    counts: counts as Record<string, number>,
    ...rows,
    ...(failures ? { failures } : {}),
  };
}
