import {
  MongoBulkWriteError,
  type Collection,
  type Db,
  type IndexDescription,
  type WriteError,
} from 'mongodb';
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

  /**
   * Inserts a partition's new records in one round trip; tells, per document,
   * whether it was new. An id already present (an identical file recorded
   * before, or a racing fetch of the same partition) is left as it is, as
   * `insertIfNew` does.
   */
  async insertManyIfNew(docs: readonly FileRecordDoc[]): Promise<boolean[]> {
    if (docs.length === 0) return [];
    const existing = new Set<number>();
    try {
      await this.col.insertMany([...docs], { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const errors = ([] as WriteError[]).concat(err.writeErrors);
      if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw err;
      for (const e of errors) existing.add(e.index);
    }
    return docs.map((_, i) => !existing.has(i));
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
    // One ordered command (one round trip) for both steps; the partition fields narrow the second
    // one, since FerretDB scans the whole collection for an `_id: {$in}` alone.
    await this.col.bulkWrite(
      [
        {
          updateMany: {
            filter: { ...base, type: { $in: [...types] }, status: { $ne: 'rejected' } },
            update: { $set: { status: 'superseded' } },
          },
        },
        ...(chosenIds.length > 0
          ? [
              {
                updateMany: {
                  filter: { ...base, _id: { $in: [...chosenIds] } },
                  update: { $set: { status: 'chosen' as const } },
                },
              },
            ]
          : []),
      ],
      { ordered: true },
    );
  }

  /**
   * `markChosen` for a caller that has just read the partition's records
   * (`forPartition`): writes only the records whose status changes, each by
   * its id, in one round trip (none when nothing changes, e.g. a re-fetch
   * that chose the same files). Rejected records and records of types with no
   * chosen file keep their status, as with `markChosen`.
   */
  async markChosenAmong(records: readonly FileRecordDoc[], chosenIds: readonly string[]): Promise<void> {
    const chosen = new Set(chosenIds);
    const types = new Set(records.filter((r) => chosen.has(r._id)).map((r) => r.type));
    const changes = records.flatMap((r) => {
      if (r.status === 'rejected' || !types.has(r.type)) return [];
      const status = chosen.has(r._id) ? ('chosen' as const) : ('superseded' as const);
      return r.status === status
        ? []
        : [{ updateOne: { filter: { _id: r._id }, update: { $set: { status } } } }];
    });
    if (changes.length > 0) await this.col.bulkWrite(changes, { ordered: false });
  }

  /** The chosen file per type (what the combiner reads). */
  async chosen(key: PartitionKey): Promise<FileRecordDoc[]> {
    return this.col.find({ branch: key.branch, pos: key.pos, date: key.date, status: 'chosen' }).toArray();
  }
}
