import { TransactionsQuery } from '@posflow/contracts';
import type { GatewayDeps } from '../deps.js';
import { branchesFor, checkRange } from '../http/access.js';
import { badRequest } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';
import { InvalidCursorError } from '@posflow/dal';
import { maskPhone } from '../domain/masking.js';

export function registerTransactionRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    {
      method: 'get',
      path: '/transactions',
      summary: 'Loaded item lines, newest first, cursor-paginated (limit ≤ 500)',
      tag: 'transactions',
      role: 'viewer',
      query: TransactionsQuery,
    },
    async ({ query, scope, principal }) => {
      checkRange(query.from, query.to, d.settings.maxRangeDays);
      const page = await d.transactions
        .queryTransactions({ ...query, branches: branchesFor(scope, query.branch) }, query.sort, query.limit, query.cursor)
        .catch((err: unknown) => {
          throw err instanceof InvalidCursorError ? badRequest('cursor is not one this API issued') : err;
        });
      const mask = principal.role === 'viewer';
      return {
        items: page.items.map((r) => (mask && r.phone ? { ...r, phone: maskPhone(r.phone) } : r)),
        nextCursor: page.nextCursor,
      };
    },
  );
}
