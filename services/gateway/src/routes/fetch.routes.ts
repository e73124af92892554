import { EnqueueResult, FetchMissingBody, FetchRangeBody, RecombineBody } from '@posflow/contracts';
import type { GatewayDeps } from '../deps.js';
import { checkRange, knownBranchesFor } from '../http/access.js';
import { badRequest } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';
import { expandRange, keysFromMissingMap } from '../domain/missing-map.js';

const DEFAULT_POS = [1, 2];

export function registerFetchRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    {
      method: 'post',
      path: '/fetch/range',
      summary: 'Fetch every partition of a date range (default: all branches, POS 1 and 2)',
      tag: 'enqueue',
      role: 'operator',
      body: FetchRangeBody,
      response: EnqueueResult,
      status: 202,
    },
    async ({ body, scope, principal }) => {
      checkRange(body.from, body.to, d.settings.maxRangeDays);
      const branches = knownBranchesFor(scope, body.branches, d.branches);
      const pos = body.pos ?? DEFAULT_POS;
      const keys = expandRange(body.from, body.to, branches, pos);
      return d.enqueue.fetch({
        kind: body.kind,
        request: { from: body.from, to: body.to, branches, pos, force: body.force },
        keys,
        force: body.force,
        createdBy: principal.name,
      });
    },
  );

  t.add(
    {
      method: 'post',
      path: '/fetch/missing',
      summary: 'Fetch the partitions of a legacy branches_missing map {BRANCH: {POS: [dates]}}',
      tag: 'enqueue',
      role: 'operator',
      body: FetchMissingBody,
      response: EnqueueResult,
      status: 202,
    },
    async ({ body, scope, principal }) => {
      const keys = keysFromMissingMap(body.branches_missing);
      if (keys.length === 0) throw badRequest('branches_missing lists no dates');
      const maxPartitions = d.settings.maxRangeDays * d.branches.length * DEFAULT_POS.length;
      if (keys.length > maxPartitions)
        throw badRequest(`branches_missing lists ${keys.length} partitions, over the limit of ${maxPartitions}`);
      knownBranchesFor(scope, Object.keys(body.branches_missing), d.branches);
      return d.enqueue.fetch({
        kind: 'missing',
        request: { branches_missing: body.branches_missing, force: body.force },
        keys,
        force: body.force,
        createdBy: principal.name,
      });
    },
  );

  t.add(
    {
      method: 'post',
      path: '/recombine',
      summary: 'Rebuild partitions from their stored raw files (no fetching)',
      tag: 'enqueue',
      role: 'operator',
      body: RecombineBody,
      response: EnqueueResult,
      status: 202,
    },
    async ({ body, scope, principal }) => {
      checkRange(body.from, body.to, d.settings.maxRangeDays);
      const branches = knownBranchesFor(scope, body.branches, d.branches);
      const keys = await d.fileViews.partitionsWithChosenFiles({ ...body, branches });
      return d.enqueue.recombine({
        request: { from: body.from, to: body.to, branches, pos: body.pos },
        keys,
        createdBy: principal.name,
      });
    },
  );
}
