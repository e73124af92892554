import { SalesReport, SalesReportQuery } from '@posflow/contracts';
import type { GatewayDeps } from '../deps.js';
import { branchesFor, checkRange } from '../http/access.js';
import type { RouteTable } from '../http/route-table.js';
import { previousYear } from '../domain/dates.js';
import { summarySource } from '@posflow/dal';
import { buildSalesReport, type GroupSums } from '../domain/sales-report.js';

export function registerReportRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    {
      method: 'get',
      path: '/reports/sales',
      summary: 'Sales, quantity, TC and AC per group, from the sales summaries; compare=previous-year adds last year',
      tag: 'reports',
      role: 'viewer',
      query: SalesReportQuery,
      response: SalesReport,
    },
    async ({ query, scope }) => {
      checkRange(query.from, query.to, d.settings.maxRangeDays);
      const branches = branchesFor(scope, query.branch);
      const scopeName = query.excludeModifiers ? 'products' : 'all';
      const { dim, field } = summarySource(query.groupBy);
      const period = async (from: string, to: string): Promise<{ rows: GroupSums[]; totals: GroupSums[] }> => {
        const base = { from, to, branches, scope: scopeName } as const;
        // TC is additive only over days (a receipt spans several products), so totals come from the day summaries:
        // the same reads as the rows when they group the day summaries too
        const [rows = [], totals = []] =
          dim === 'day'
            ? await d.summaries.sumsBy({ ...base, dim }, [field, null])
            : await Promise.all([
                d.summaries.sums({ ...base, dim, field }),
                d.summaries.sums({ ...base, dim: 'day', field: null }),
              ]);
        return { rows, totals };
      };
      const [current, previous] = await Promise.all([
        period(query.from, query.to),
        query.compare === 'previous-year' ? period(previousYear(query.from), previousYear(query.to)) : undefined,
      ]);
      return buildSalesReport({
        from: query.from,
        to: query.to,
        groupBy: query.groupBy,
        scope: scopeName,
        rows: current.rows,
        totals: current.totals,
        limit: query.limit,
        previous,
      });
    },
  );
}
