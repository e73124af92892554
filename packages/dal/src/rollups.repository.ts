import type { Collection, Db, IndexDescription } from 'mongodb';
import {
  Collections,
  type PartitionDoc,
  type RollupDimension,
  type RollupDoc,
  type SalesGroup,
} from '@posflow/contracts';
import {
  ConcurrentLoadError,
  SNAPSHOT_ATTEMPTS,
  changedGenerations,
  pgOf,
  readGenerations,
} from './generation-snapshot.js';
import { duplicateKeyCount } from './duplicate-keys.js';
import { groupSums } from './group-sums.js';
import { PartitionViewsRepository } from './partition-views.repository.js';

export const rollupIndexes: IndexDescription[] = [
  // Reports: one dimension and scope over a date range, optionally some branches
  // (same key and name as the gateway's rollupReadIndexes, so either may create it first).
  { key: { dim: 1, scope: 1, date: 1, branch: 1 }, name: 'gw_dim_scope_date' },
  // Per-generation delete after a swap, and the `pg $in` match of reports.
  { key: { pg: 1 }, name: 'pg' },
];

export interface SalesReportArgs {
  from: string;
  to: string;
  groupBy: SalesGroup;
  branches?: readonly string[] | undefined;
  /** Read the `products` scope (modifier lines such as NO ICE excluded) instead of `all`. */
  excludeModifiers: boolean;
}

/** One report group. `tc` = distinct receipts; `acE4` = salesE4 / tc rounded half away from zero (null when tc is 0). */
export interface SalesRow {
  key: string;
  salesE4: number;
  quantity: number;
  tc: number;
  acE4: number | null;
}

/** Current-generation pgs per `$in` (keeps each match small for FerretDB). */
const PG_CHUNK = 2_000;
const SUMMED = ['salesE4', 'quantity', 'receipts'] as const;

/** Which rollup dimension and field a report groups by (weekday and branch read the `day` rollups). */
export function rollupSource(groupBy: SalesGroup): { dim: RollupDimension; field: string } {
  switch (groupBy) {
    case 'day':
      return { dim: 'day', field: 'date' };
    case 'weekday':
      return { dim: 'day', field: 'weekday' };
    case 'branch':
      return { dim: 'day', field: 'branch' };
    case 'hour':
    case 'daypart':
    case 'department':
    case 'product':
    case 'category':
    case 'payment':
    case 'discount':
      return { dim: groupBy, field: 'key' };
  }
}

/** `numE4 / den`, rounded half away from zero, in BigInt (exact for any sum). */
export function averageE4(numE4: number, den: number): number | null {
  if (den === 0) return null;
  const n = BigInt(numE4);
  const d = BigInt(den);
  return Number((2n * n + (n >= 0n ? d : -d)) / (2n * d));
}

/**
 * The rollups collection: per partition generation, dimension, key and scope,
 * the sums analysts ask for, written by the importer beside the rows and
 * swapped with them. Reports sum a few thousand of these instead of scanning
 * rows, with `$match` + `$group`/`$sum` only (FerretDB 1.x-safe).
 */
export class RollupsRepository {
  readonly col: Collection<RollupDoc>;
  private readonly partitions: Collection<PartitionDoc>;

  constructor(db: Db) {
    this.col = db.collection<RollupDoc>(Collections.rollups);
    this.partitions = db.collection<PartitionDoc>(Collections.partitions);
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

  /**
   * Sales, quantity, TC and AC per group over the current generations of a
   * range, in key order. Each chunk of partitions is re-summed if one of
   * them flipped generation during its aggregation, so a re-import counts
   * all-old or all-new. TC across groups is only additive for `day`, `weekday`
   * and `branch` (a receipt has one day); for other groupings a receipt that
   * spans keys is counted once per key.
   */
  async salesReport(args: SalesReportArgs): Promise<SalesRow[]> {
    const { dim, field } = rollupSource(args.groupBy);
    const scope = args.excludeModifiers ? 'products' : 'all';
    const partFilter = PartitionViewsRepository.rangeFilter({
      from: args.from,
      to: args.to,
      branches: args.branches,
    });
    const current = await readGenerations(this.partitions, { ...partFilter, generation: { $gt: 0 } });
    const ids = [...current.keys()];
    const sums = new Map<string, { salesE4: number; quantity: number; receipts: number }>();
    for (let i = 0; i < ids.length; i += PG_CHUNK) {
      const chunk = ids.slice(i, i + PG_CHUNK);
      let gens = new Map(chunk.map((id) => [id, current.get(id) ?? 0]));
      for (let attempt = 0; ; attempt++) {
        if (attempt === SNAPSHOT_ATTEMPTS)
          throw new ConcurrentLoadError('rollups kept changing during the report');
        const pgs = [...gens].filter(([, g]) => g > 0).map(([id, g]) => pgOf(id, g));
        const match = { dim, scope, pg: { $in: pgs } };
        const part = pgs.length ? await groupSums(this.col as never, match, field, SUMMED) : new Map();
        const now = await readGenerations(this.partitions, { _id: { $in: chunk } });
        if (changedGenerations(gens, now).length === 0) {
          for (const [key, s] of part as Map<string, Record<(typeof SUMMED)[number], number>>) {
            const acc = sums.get(key) ?? { salesE4: 0, quantity: 0, receipts: 0 };
            acc.salesE4 += s.salesE4;
            acc.quantity += s.quantity;
            acc.receipts += s.receipts;
            sums.set(key, acc);
          }
          break;
        }
        gens = new Map(chunk.map((id) => [id, now.get(id) ?? 0]));
      }
    }
    return [...sums]
      .map(([key, s]) => ({
        key,
        salesE4: s.salesE4,
        quantity: Math.round(s.quantity * 10_000) / 10_000,
        tc: s.receipts,
        acE4: averageE4(s.salesE4, s.receipts),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
