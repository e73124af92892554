import type { Collection, Db } from 'mongodb';
import { Collections, type FileRecordDoc, type PartitionKey } from '@posflow/contracts';

/** Read side of filerecords for the API (recombine planning). */
export class FileRecordViewsRepository {
  readonly col: Collection<FileRecordDoc>;

  constructor(db: Db) {
    this.col = db.collection<FileRecordDoc>(Collections.filerecords);
  }

  /** Partitions in a range that have at least one chosen raw file (what a recombine can rebuild). */
  async partitionsWithChosenFiles(r: {
    from: string;
    to: string;
    branches?: readonly string[] | undefined;
    pos?: readonly number[] | undefined;
  }): Promise<PartitionKey[]> {
    const match: Record<string, unknown> = { date: { $gte: r.from, $lte: r.to }, status: 'chosen' };
    if (r.branches) match.branch = { $in: [...r.branches] };
    if (r.pos) match.pos = { $in: [...r.pos] };
    const rows = await this.col
      .aggregate<{
        _id: PartitionKey;
      }>([{ $match: match }, { $group: { _id: { branch: '$branch', pos: '$pos', date: '$date' } } }])
      .toArray();
    return rows
      .map((r) => r._id)
      .sort((a, b) => a.date.localeCompare(b.date) || a.branch.localeCompare(b.branch) || a.pos - b.pos);
  }
}
