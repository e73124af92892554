import type { Collection, Db, IndexDescription } from 'mongodb';
import {
  Collections,
  partitionId,
  type FileRecordDoc,
  type FileType,
  type PartitionKey,
} from '@posflow/contracts';

export const fileRecordIndexes: IndexDescription[] = [
  { key: { branch: 1, pos: 1, date: 1, type: 1 }, name: 'partition_type' },
  { key: { sha256: 1 }, name: 'sha256' },
];

/**
 * FileRecords: one per distinct raw file stored in GridFS. The id is
 * deterministic (partition, upstream name, content hash), so re-fetching an
 * unchanged file finds its record instead of storing a second copy.
 */
export class FileRecordsRepository {
  readonly col: Collection<FileRecordDoc>;

  constructor(db: Db) {
    this.col = db.collection<FileRecordDoc>(Collections.filerecords);
  }

  static idFor(key: PartitionKey, name: string, sha256: string): string {
    return `${partitionId(key)}:${name}:${sha256.slice(0, 16)}`;
  }

  get(id: string): Promise<FileRecordDoc | null> {
    return this.col.findOne({ _id: id });
  }

  /** Inserts the record; returns false when an identical one already exists. */
  async insertIfNew(doc: FileRecordDoc): Promise<boolean> {
    const r = await this.col.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
    return r.upsertedCount === 1;
  }

  forPartition(key: PartitionKey): Promise<FileRecordDoc[]> {
    return this.col
      .find({ branch: key.branch, pos: key.pos, date: key.date })
      .sort({ type: 1, fetchedAt: 1 })
      .toArray();
  }

  /** Marks `chosenIds` as the files a combine uses; the other stored files of those types become superseded. */
  async markChosen(
    key: PartitionKey,
    chosenIds: readonly string[],
    types: readonly FileType[],
  ): Promise<void> {
    const base = { branch: key.branch, pos: key.pos, date: key.date };
    await this.col.updateMany(
      { ...base, type: { $in: [...types] }, status: { $ne: 'rejected' } },
      { $set: { status: 'superseded' } },
    );
    if (chosenIds.length > 0)
      await this.col.updateMany({ _id: { $in: [...chosenIds] } }, { $set: { status: 'chosen' } });
  }

  /** The chosen file per type (what the combiner reads). */
  async chosen(key: PartitionKey): Promise<FileRecordDoc[]> {
    return this.col.find({ branch: key.branch, pos: key.pos, date: key.date, status: 'chosen' }).toArray();
  }
}
