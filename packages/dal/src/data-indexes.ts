import { MongoServerError, type Db, type IndexDescription } from 'mongodb';
import { Collections } from '@posflow/contracts';
import { rollupIndexes } from './rollups.repository.js';
import { summaryIndexes } from './summary-indexes.js';
import { transactionIndexes } from './transactions.repository.js';

/** Same key, other name (85) / same name, other key (86): someone created an equivalent index first. */
const EQUIVALENT_EXISTS = new Set([85, 86]);

/**
 * Creates indexes one createIndexes command per index. FerretDB 1.24 drops
 * the connection (a Go panic) when one command lists two or more indexes
 * that all exist already, which is every service start after the first; one
 * at a time is equivalent on MongoDB. An index whose key already exists under
 * another name is accepted, so services that each declare what they read can
 * start in any order.
 */
export async function ensureIndexesOneByOne(db: Db, spec: Record<string, IndexDescription[]>): Promise<void> {
  for (const [collection, indexes] of Object.entries(spec)) {
    for (const index of indexes) {
      try {
        await db.collection(collection).createIndexes([index]);
      } catch (err) {
        if (!(err instanceof MongoServerError) || !EQUIVALENT_EXISTS.has(Number(err.code))) throw err;
      }
    }
  }
}

/** Indexes of the loaded data (transactions, rollups, sales summaries); the importer runs this at start. */
export async function ensureDataIndexes(db: Db): Promise<void> {
  await ensureIndexesOneByOne(db, {
    [Collections.transactions]: transactionIndexes,
    [Collections.rollups]: rollupIndexes,
    ...summaryIndexes,
  });
}
