import type { Collection, Db, IndexDescription } from 'mongodb';
import { Collections, partitionId, type DropReason, type PartitionKey } from '@posflow/contracts';

/** One row (or whole file) a combine did not turn into output, kept with its reason so nothing is lost. */
export interface DroppedRowDoc {
  /** `<partitionId>:g<generation>:<seq>`: deterministic within one combine run. */
  _id: string;
  partitionId: string;
  branch: string;
  pos: number;
  date: string;
  /** The combine generation that dropped it. */
  generation: number;
  /** Order in which the combine reported it. */
  seq: number;
  reason: DropReason;
  /** Source file name ('' when the entry is about a missing file). */
  file: string;
  /** 1-based line in `file`; 0 for whole-file entries. */
  line: number;
  raw: string;
  detail?: string;
  createdAt: Date;
}

export type DroppedRowInput = Pick<DroppedRowDoc, 'reason' | 'file' | 'line' | 'raw' | 'detail'>;

export const droppedRowIndexes: IndexDescription[] = [
  { key: { branch: 1, pos: 1, date: 1, generation: 1 }, name: 'partition_generation' },
  { key: { reason: 1, date: 1 }, name: 'reason_date' },
];

/** Raw text longer than this is cut (a runaway line must not make a document huge). */
const MAX_RAW = 8_000;

/**
 * The droppedrows collection. Rows are written per generation in batches;
 * once a generation is complete the older generations' rows of that
 * partition are removed, so the collection always describes the latest
 * combine of each partition (a re-combine replaces, never adds).
 */
export class DroppedRowsRepository {
  readonly col: Collection<DroppedRowDoc>;

  constructor(db: Db) {
    this.col = db.collection<DroppedRowDoc>(Collections.droppedRows);
  }

  /** Inserts one batch; `firstSeq` numbers the batch's rows within the generation. Re-inserting the same ids is a no-op. */
  async insertBatch(
    key: PartitionKey,
    generation: number,
    firstSeq: number,
    rows: readonly DroppedRowInput[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const pid = partitionId(key);
    const now = new Date();
    const ops = rows.map((r, i) => {
      const doc: DroppedRowDoc = {
        _id: `${pid}:g${generation}:${firstSeq + i}`,
        partitionId: pid,
        branch: key.branch,
        pos: key.pos,
        date: key.date,
        generation,
        seq: firstSeq + i,
        reason: r.reason,
        file: r.file,
        line: r.line,
        raw: r.raw.length > MAX_RAW ? r.raw.slice(0, MAX_RAW) : r.raw,
        ...(r.detail === undefined ? {} : { detail: r.detail }),
        createdAt: now,
      };
      // Upsert (not insert) so a retried batch does not fail on duplicate ids.
      return { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } };
    });
    await this.col.bulkWrite(ops, { ordered: false });
  }

  /** Removes the partition's rows of other generations older than `generation` (a newer combine replaced them). */
  async deleteOlderThan(key: PartitionKey, generation: number): Promise<number> {
    const r = await this.col.deleteMany({
      branch: key.branch,
      pos: key.pos,
      date: key.date,
      generation: { $lt: generation },
    });
    return r.deletedCount;
  }

  /** Removes one generation's rows (a combine that failed or was superseded). */
  async deleteGeneration(key: PartitionKey, generation: number): Promise<number> {
    const r = await this.col.deleteMany({ branch: key.branch, pos: key.pos, date: key.date, generation });
    return r.deletedCount;
  }

  forPartition(key: PartitionKey, limit = 10_000): Promise<DroppedRowDoc[]> {
    return this.col
      .find({ branch: key.branch, pos: key.pos, date: key.date })
      .sort({ generation: -1, seq: 1 })
      .limit(limit)
      .toArray();
  }
}
