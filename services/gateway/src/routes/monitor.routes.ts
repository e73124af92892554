import { z } from 'zod';
import { MonitorQuery } from '@posflow/contracts';
import type { GatewayDeps } from '../deps.js';
import { branchesFor } from '../http/access.js';
import { notFound } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';

export function registerMonitorRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    {
      method: 'get',
      path: '/monitor',
      summary: 'What an operator must look at (dropped rows, upstream errors, missing files, …), newest first',
      tag: 'monitor',
      role: 'viewer',
      query: MonitorQuery,
    },
    async ({ query, scope }) => {
      const filter: Record<string, unknown> = {};
      if (query.kind) filter.kind = { $in: query.kind };
      if (query.resolved !== undefined) filter.resolved = query.resolved;
      const branches = branchesFor(scope, query.branch);
      if (branches) filter.branch = { $in: branches };
      if (query.from || query.to)
        filter.date = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
      const items = await d.monitor.list(filter, query.limit);
      return { items: items.map((m) => ({ ...m, id: m._id })) };
    },
  );

  t.add(
    {
      method: 'post',
      path: '/monitor/:id/resolve',
      summary: 'Mark a monitor entry resolved (it re-opens if the problem recurs)',
      tag: 'monitor',
      role: 'operator',
      response: z.object({ id: z.string(), resolved: z.literal(true) }),
    },
    async ({ params, scope, principal }) => {
      const id = params.id ?? '';
      const entry = await d.monitor.col.findOne({ _id: id }, { projection: { branch: 1 } });
      // Entries without a branch (global ones) belong to no store: scoped keys cannot resolve them.
      if (!entry || (scope.scoped && !(entry.branch && scope.allows(entry.branch)))) throw notFound(`monitor entry ${id}`);
      await d.monitor.resolve(id, principal.name);
      return { id, resolved: true as const };
    },
  );
}
