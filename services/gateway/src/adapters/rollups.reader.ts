import type { Collection, Db, IndexDescription } from 'mongodb';
import { Collections, type RollupDoc, type RollupScope } from '@posflow/contracts';
import { groupSums } from '@posflow/dal';
import type { GroupSums } from '../domain/sales-report.js';

export const rollupReadIndexes: IndexDescription[] = [
  { key: { dim: 1, scope: 1, date: 1, branch: 1 }, name: 'gw_dim_scope_date' },
];

/** pg values per `$in`: keeps each match small enough for FerretDB's query pushdown. */
const PG_CHUNK = 2_000;

/**
 * Sales sums from the rollups: `$match` + `$group`/`$sum` only, one `$sum`
 * per pipeline (see groupSums: FerretDB 1.24), restricted to the current
 * generations of the range.
 */
export class RollupsReader {
  readonly col: Collection<RollupDoc>;

  constructor(db: Db) {
    this.col = db.collection<RollupDoc>(Collections.rollups);
  }

  async salesSums(args: {
    pgs: readonly string[];
    from: string;
    to: string;
    branches?: readonly string[] | undefined;
    dim: string;
    scope: RollupScope;
    /** Field to group on (`key`, `date`, `weekday`, `branch`), or null for one total. */
    field: string | null;
  }): Promise<GroupSums[]> {
    const sums = new Map<string, GroupSums>();
    for (let i = 0; i < args.pgs.length; i += PG_CHUNK) {
      const match: Record<string, unknown> = {
        dim: args.dim,
        scope: args.scope,
        date: { $gte: args.from, $lte: args.to },
        pg: { $in: args.pgs.slice(i, i + PG_CHUNK) },
      };
      if (args.branches) match.branch = { $in: [...args.branches] };
      const chunk = await groupSums(this.col as never, match, args.field, ['salesE4', 'quantity', 'receipts'] as const);
      for (const [key, r] of chunk) {
        const s = sums.get(key) ?? { key, salesE4: 0, quantity: 0, receipts: 0 };
        s.salesE4 += r.salesE4;
        s.quantity += r.quantity;
        s.receipts += r.receipts;
        sums.set(key, s);
      }
    }
    return [...sums.values()];
  }
}
