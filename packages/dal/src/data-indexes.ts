import { MongoServerError, type Db, type IndexDescription } from 'mongodb';
import { Collections } from '@posflow/contracts';
import { rollupIndexes } from './rollups.repository.js';
import { transactionIndexes } from './transactions.repository.js';

/** Same key, other name (85) / same name, other key (86): someone created an equivalent index first. */
const EQUIVALENT_EXISTS = new Set([85, 86]);

/**
 * Indexes of the loaded data (transactions, rollups). Created one by one, and
 * an index whose key already exists under another name is accepted, so
 * services that each declare what they read can start in any order.
 */
export async function ensureDataIndexes(db: Db): Promise<void> {
  const spec: [string, IndexDescription[]][] = [
    [Collections.transactions, transactionIndexes],
    [Collections.rollups, rollupIndexes],
  ];
  for (const [collection, indexes] of spec) {
    for (const index of indexes) {
      try {
        await db.collection(collection).createIndexes([index]);
      } catch (err) {
        if (!(err instanceof MongoServerError) || !EQUIVALENT_EXISTS.has(Number(err.code))) throw err;
      }
    }
  }
}
