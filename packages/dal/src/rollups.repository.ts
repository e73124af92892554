import type { Collection, Db, IndexDescription } from 'mongodb';
import { Collections, type RollupDoc } from '@posflow/contracts';
import { duplicateKeyCount } from './duplicate-keys.js';

export const rollupIndexes: IndexDescription[] = [
  // Per-generation reads (month summary back-fill) and the delete after a swap.
  { key: { pg: 1 }, name: 'pg' },
];

/**
 * The rollups collection: per partition generation, dimension, key and scope,
 * the sums analysts ask for, written by the importer beside the rows and
 * swapped with them. They are the detailed record; reports read the same
 * sums packed per dimension (SalesSummariesWriter).
 */
export class RollupsRepository {
  readonly col: Collection<RollupDoc>;

  constructor(db: Db) {
    this.col = db.collection<RollupDoc>(Collections.rollups);
  }

  /**
   * Inserts one generation's rollups. They are a pure function of the
   * artifact, so a document already present (an earlier attempt) is
   * identical: duplicate keys are ignored, as for rows.
   */
  async insertMany(docs: readonly RollupDoc[]): Promise<void> {
    for (let i = 0; i < docs.length; i += 1_000) {
      try {
        await this.col.insertMany(docs.slice(i, i + 1_000), { ordered: false });
      } catch (err) {
        if (duplicateKeyCount(err) === null) throw err;
      }
    }
  }

  async deleteGeneration(pg: string): Promise<number> {
    return (await this.col.deleteMany({ pg })).deletedCount;
  }

  forGeneration(pg: string): Promise<RollupDoc[]> {
    return this.col.find({ pg }).toArray();
  }
}
