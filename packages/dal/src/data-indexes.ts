import type { Db } from 'mongodb';
import { Collections } from '@posflow/contracts';
import { ensureIndexes } from '@posflow/runtime';
import { rollupIndexes } from './rollups.repository.js';
import { transactionIndexes } from './transactions.repository.js';

/** Indexes of the loaded data (transactions, rollups); services that read them declare them too, in any order. */
export async function ensureDataIndexes(db: Db): Promise<void> {
  await ensureIndexes(db, { [Collections.transactions]: transactionIndexes, [Collections.rollups]: rollupIndexes });
}
