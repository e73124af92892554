import { z } from 'zod';
import {
  CoverageGrid,
  CoverageQuery,
  MissingScanBody,
  MissingScanResult,
  PartitionsQuery,
  parsePartitionId,
  partitionId,
  type PartitionKey,
} from '@posflow/contracts';
import { hasRole } from '../auth/api-keys.js';
import type { GatewayDeps } from '../deps.js';
import { branchesFor, checkRange, knownBranchesFor } from '../http/access.js';
import { ApiError, badRequest, forbiddenBranches } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';
import { buildCoverageGrid } from '../domain/coverage-grid.js';
import { expandRange, scanMissing } from '../domain/missing-map.js';

const DEFAULT_POS = [1, 2];

export function registerPartitionRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    {
      method: 'get',
      path: '/partitions',
      summary: 'Partitions of a range with status, generation and row counts',
      tag: 'partitions',
      role: 'viewer',
      query: PartitionsQuery,
    },
    async ({ query, scope }) => {
      checkRange(query.from, query.to, d.settings.maxRangeDays);
      const items = await d.partitionViews.inRange(
        { ...query, branches: branchesFor(scope, query.branch), statuses: query.status },
        query.limit,
      );
      return { items: items.map((p) => ({ ...p, id: p._id })), truncated: items.length === query.limit };
    },
  );

  t.add(
    {
      method: 'get',
      path: '/coverage',
      summary: 'The branch × POS × date grid with status and row counts (null = never requested)',
      tag: 'partitions',
      role: 'viewer',
      query: CoverageQuery,
      response: CoverageGrid,
    },
    async ({ query, scope }) => {
      checkRange(query.from, query.to, d.settings.maxRangeDays);
      const branches = branchesFor(scope, query.branch);
      const parts = await d.partitionViews.inRange({ from: query.from, to: query.to, branches }, 200_000);
      return buildCoverageGrid(query.from, query.to, branches ?? d.branches, parts);
    },
  );

  t.add(
    {
      method: 'post',
      path: '/missing/scan',
      summary: 'Partitions never loaded, as a branches_missing map (empty days listed apart); optionally enqueued',
      tag: 'partitions',
      role: 'viewer',
      body: MissingScanBody,
      response: MissingScanResult,
    },
    async ({ body, scope, principal }) => {
      if (body.enqueue && !hasRole(principal, 'operator'))
        throw new ApiError(403, 'forbidden', 'enqueue: true needs the operator role');
      checkRange(body.from, body.to, d.settings.maxRangeDays);
      const branches = knownBranchesFor(scope, body.branches, d.branches);
      const expected = expandRange(body.from, body.to, branches, body.pos ?? DEFAULT_POS);
      const existing = await d.partitionViews.inRange({ from: body.from, to: body.to, branches }, 500_000);
      const scan = scanMissing(expected, new Map(existing.map((p) => [p._id, p])), partitionId);
      const job =
        body.enqueue && scan.missing.length > 0
          ? await d.enqueue.fetch({
              kind: 'missing',
              request: { branches_missing: scan.map, scan: { from: body.from, to: body.to } },
              keys: scan.missing,
              force: false,
              createdBy: principal.name,
            })
          : undefined;
      return {
        branches_missing: scan.map,
        missing: scan.missing.length,
        empty: scan.empty,
        ...(job ? { job } : {}),
      };
    },
  );

  t.add(
    {
      method: 'post',
      path: '/partitions/:id/known-empty',
      summary: 'Mark a partition (BRANCH_POS_DATE) as a day the store was closed',
      tag: 'partitions',
      role: 'operator',
      response: z.object({ id: z.string(), status: z.string(), knownEmpty: z.boolean() }),
    },
    async ({ params, scope }) => {
      let key: PartitionKey;
      try {
        key = parsePartitionId(params.id ?? '');
      } catch {
        throw badRequest(`not a partition id: ${params.id} (expected BRANCH_POS_YYYY-MM-DD)`);
      }
      if (!scope.allows(key.branch)) throw forbiddenBranches([key.branch]);
      if (!d.branches.includes(key.branch)) throw badRequest(`unknown branch ${key.branch} (not in branches.txt)`);
      const doc = await d.partitionViews.markKnownEmpty(key);
      if (!doc) throw new ApiError(409, 'partition_loaded', `${params.id} has loaded rows; it cannot be marked empty`);
      return { id: doc._id, status: doc.status, knownEmpty: doc.knownEmpty === true };
    },
  );
}
