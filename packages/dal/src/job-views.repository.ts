import type { Collection, Db } from 'mongodb';
import { Collections, type JobDoc } from '@posflow/contracts';

export type JobSummary = Omit<JobDoc, 'partitions'>;

/** Job lists for the API: without the partition id list, which runs to thousands of ids for a backfill. */
export class JobViewsRepository {
  readonly col: Collection<JobDoc>;

  constructor(db: Db) {
    this.col = db.collection<JobDoc>(Collections.jobs);
  }

  list(filter: Record<string, unknown>, limit: number): Promise<JobSummary[]> {
    return this.col
      .find(filter, { projection: { partitions: 0 } })
      .sort({ createdAt: -1 })
      .limit(limit)
      .toArray() as Promise<JobSummary[]>;
  }
}
