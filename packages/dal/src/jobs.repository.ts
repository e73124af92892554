import { randomUUID } from 'node:crypto';
import type { Collection, Db, IndexDescription } from 'mongodb';
import { Collections, type JobDoc, type JobStatus, type PartitionStatus } from '@posflow/contracts';
import type { PartitionsRepository } from './partitions.repository.js';

export const jobIndexes: IndexDescription[] = [
  { key: { createdAt: -1 }, name: 'recent' },
  { key: { status: 1 }, name: 'status' },
];

export interface JobProgress {
  job: JobDoc;
  counts: Partial<Record<PartitionStatus, number>>;
  done: number;
  total: number;
}

/**
 * Jobs: what a user asked for. Counts are derived from the partitions (never
 * kept as counters that a redelivered message could double); the terminal
 * status is settled by `refresh` once every partition is loaded, empty or failed.
 */
export class JobsRepository {
  readonly col: Collection<JobDoc>;

  constructor(
    db: Db,
    private readonly partitions: PartitionsRepository,
  ) {
    this.col = db.collection<JobDoc>(Collections.jobs);
  }

  async create(
    job: Omit<JobDoc, '_id' | 'status' | 'createdAt' | 'startedAt' | 'total'> & { _id?: string },
  ): Promise<JobDoc> {
    const now = new Date();
    const doc: JobDoc = {
      ...job,
      _id: job._id ?? randomUUID(),
      status: 'running',
      total: job.partitions.length,
      createdAt: now,
      startedAt: now,
    };
    await this.col.insertOne(doc);
    return doc;
  }

  get(id: string): Promise<JobDoc | null> {
    return this.col.findOne({ _id: id });
  }

  list(limit = 50): Promise<JobDoc[]> {
    return this.col.find({}).sort({ createdAt: -1 }).limit(limit).toArray();
  }

  /** Recomputes counts and, when every partition has finished, settles the job's terminal status. */
  async refresh(id: string): Promise<JobProgress | null> {
    const job = await this.get(id);
    if (!job) return null;
    const counts = await this.partitions.countsForJob(id);
    const loaded = counts.loaded ?? 0;
    const empty = counts.empty ?? 0;
    const failed = counts.failed ?? 0;
    const done = loaded + empty + failed;
    if (job.status === 'running' && done >= job.total) {
      const status: JobStatus =
        failed === job.total ? 'failed' : failed + empty > 0 ? 'partial' : 'succeeded';
      const finishedAt = new Date();
      const r = await this.col.findOneAndUpdate(
        { _id: id, status: 'running' },
        { $set: { status, finishedAt } },
        { returnDocument: 'after' },
      );
      if (r) return { job: r, counts, done, total: job.total };
    }
    return { job, counts, done, total: job.total };
  }

  async cancel(id: string): Promise<JobDoc | null> {
    return this.col.findOneAndUpdate(
      { _id: id, status: 'running' },
      { $set: { status: 'cancelled', finishedAt: new Date() } },
      { returnDocument: 'after' },
    );
  }

  /** Re-opens a finished job (e.g. retry-failed). */
  async reopen(id: string): Promise<void> {
    await this.col.updateOne({ _id: id }, { $set: { status: 'running' }, $unset: { finishedAt: '' } });
  }
}
