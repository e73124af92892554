import type { Collection, Db } from 'mongodb';
import { Collections, type PartitionDoc, type PartitionKey, type PartitionStatus } from '@posflow/contracts';
import { groupSums } from './group-sums.js';
import { PartitionsRepository } from './partitions.repository.js';

export interface PartitionRange {
  from: string;
  to: string;
  branches?: readonly string[] | undefined;
  pos?: readonly number[] | undefined;
  statuses?: readonly PartitionStatus[] | undefined;
}

/** The fields a grid or a plan needs; keeps `jobIds` (which grows) and timestamps per status out of reads. */
export type PartitionSummary = Pick<
  PartitionDoc,
  | '_id'
  | 'branch'
  | 'pos'
  | 'date'
  | 'status'
  | 'generation'
  | 'rowsLoaded'
  | 'rowsDropped'
  | 'knownEmpty'
  | 'updatedAt'
  | 'failure'
>;

const SUMMARY = {
  branch: 1,
  pos: 1,
  date: 1,
  status: 1,
  generation: 1,
  rowsLoaded: 1,
  rowsDropped: 1,
  knownEmpty: 1,
  updatedAt: 1,
  failure: 1,
} as const;

const ID_CHUNK = 1_000;

/**
 * Read side of the partitions collection for the API (grids, plans, job
 * summaries) plus the operator's "known empty" mark. Writes of the pipeline
 * lifecycle stay in PartitionsRepository.
 */
export class PartitionViewsRepository {
  readonly col: Collection<PartitionDoc>;
  /** The one write here goes through the lifecycle's revision-claimed writes. */
  private readonly writes: PartitionsRepository;

  constructor(db: Db) {
    this.col = db.collection<PartitionDoc>(Collections.partitions);
    this.writes = new PartitionsRepository(db);
  }

  /**
   * Partitions in a working status (fetching … importing) not updated since
   * `cutoff`: presumably stuck (their message lost to an outage). One
   * equality per status, the few in flight filtered here.
   */
  async staleInFlight(cutoff: Date, statuses: readonly PartitionStatus[]): Promise<PartitionSummary[]> {
    const out: PartitionSummary[] = [];
    for (const status of statuses) {
      const docs = await this.col.find({ status }, { projection: SUMMARY }).toArray();
      out.push(...docs.filter((d) => d.updatedAt < cutoff));
    }
    return out;
  }

  static rangeFilter(r: PartitionRange): Record<string, unknown> {
    const f: Record<string, unknown> = { date: { $gte: r.from, $lte: r.to } };
    if (r.branches) f.branch = { $in: [...r.branches] };
    if (r.pos) f.pos = { $in: [...r.pos] };
    if (r.statuses) f.status = { $in: [...r.statuses] };
    return f;
  }

  async byIds(ids: readonly string[]): Promise<PartitionSummary[]> {
    const out: PartitionSummary[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      out.push(...(await this.col.find({ _id: { $in: chunk } }, { projection: SUMMARY }).toArray()));
    }
    return out;
  }

  inRange(r: PartitionRange, limit = 50_000): Promise<PartitionSummary[]> {
    return this.col
      .find(PartitionViewsRepository.rangeFilter(r), { projection: SUMMARY })
      .sort({ date: 1, branch: 1, pos: 1 })
      .limit(limit)
      .toArray();
  }

  /** `pg` values (`<partitionId>#<generation>`) of the loaded generations in a range: what readers of rows and rollups must match. */
  async currentGenerations(r: PartitionRange): Promise<string[]> {
    const docs = await this.col
      .find(
        { ...PartitionViewsRepository.rangeFilter(r), generation: { $gt: 0 } },
        { projection: { generation: 1 } },
      )
      .toArray();
    return docs.map((d) => `${d._id}#${d.generation}`);
  }

  /** Partitions per status over the whole collection ($group/$sum only: FerretDB 1.x-safe). */
  async statusCounts(
    filter: Record<string, unknown> = {},
  ): Promise<Partial<Record<PartitionStatus, number>>> {
    const rows = await this.col
      .aggregate<{
        _id: PartitionStatus;
        n: number;
      }>([{ $match: filter }, { $group: { _id: '$status', n: { $sum: 1 } } }])
      .toArray();
    return Object.fromEntries(rows.map((r) => [r._id, r.n]));
  }

  /** Rows loaded and dropped over a job's partitions. */
  async jobRows(jobId: string): Promise<{ rowsLoaded: number; rowsDropped: number }> {
    const sums = await groupSums(this.col as never, { jobIds: jobId }, null, ['rowsLoaded', 'rowsDropped']);
    return sums.get('') ?? { rowsLoaded: 0, rowsDropped: 0 };
  }

  failedForJob(jobId: string, limit = 200): Promise<PartitionSummary[]> {
    return this.col
      .find({ jobIds: jobId, status: 'failed' }, { projection: SUMMARY })
      .sort({ date: 1, branch: 1, pos: 1 })
      .limit(limit)
      .toArray();
  }

  /**
   * Marks a day the store was closed. The partition is created when it was
   * never requested; one that holds loaded rows cannot be marked (null).
   * (A revision-claimed write, as every partition write: PartitionsRepository.)
   */
  markKnownEmpty(key: PartitionKey): Promise<PartitionSummary | null> {
    return this.writes.markKnownEmpty(key);
  }
}
