import type { Db } from 'mongodb';
import { Collections } from '@posflow/contracts';
import { ensureIndexesOneByOne } from './data-indexes.js';
import { droppedRowIndexes } from './dropped-rows.repository.js';
import { fileRecordIndexes } from './filerecords.repository.js';
import { jobIndexes } from './jobs.repository.js';
import { monitorIndexes } from './monitor.repository.js';
import { partitionIndexes } from './partitions.repository.js';

/**
 * Indexes of the collections in this package; every service runs this at start (idempotent).
 * One index per command: see ensureIndexesOneByOne (FerretDB 1.24 panics otherwise).
 */
export async function ensureCoreIndexes(db: Db): Promise<void> {
  await ensureIndexesOneByOne(db, {
    [Collections.partitions]: partitionIndexes,
    [Collections.jobs]: jobIndexes,
    [Collections.monitor]: monitorIndexes,
    [Collections.filerecords]: fileRecordIndexes,
    [Collections.droppedRows]: droppedRowIndexes,
  });
}
