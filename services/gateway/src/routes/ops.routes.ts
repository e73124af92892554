import { z } from 'zod';
import { ClusterView, QueuesView, RequeueBody, RequeueResult, STAGES } from '@posflow/contracts';
import type { GatewayDeps } from '../deps.js';
import { ApiError, badRequest } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';

/** Queue and cluster views: global state, so branch-scoped keys may look but not act. */
export function registerOpsRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    {
      method: 'get',
      path: '/me',
      summary: "The caller's key: name, role and the branches it is scoped to (absent = all)",
      tag: 'ops',
      role: 'viewer',
      response: z.object({
        name: z.string(),
        role: z.enum(['viewer', 'operator', 'admin']),
        branches: z.array(z.string()).optional(),
      }),
    },
    async ({ principal }) => ({
      name: principal.name,
      role: principal.role,
      ...(principal.branches ? { branches: [...principal.branches] } : {}),
    }),
  );

  t.add(
    {
      method: 'get',
      path: '/queues',
      summary:
        'Per stage: ready and unacked messages, consumers, dead letters, retrying (RabbitMQ management API)',
      tag: 'ops',
      role: 'viewer',
      response: QueuesView,
    },
    async () => {
      try {
        return { stages: await d.queues.stages() };
      } catch (err) {
        throw new ApiError(
          502,
          'broker_management_unavailable',
          `RabbitMQ management: ${(err as Error).message}`,
        );
      }
    },
  );

  t.add(
    {
      method: 'post',
      path: '/queues/:stage/dead-letter/requeue',
      summary: "Move up to `max` dead letters back to the stage's work queue, attempt count reset",
      tag: 'ops',
      role: 'operator',
      body: RequeueBody,
      response: RequeueResult,
    },
    async ({ params, body, scope }) => {
      const stage = z.enum(STAGES).safeParse(params.stage);
      if (!stage.success) throw badRequest(`unknown stage ${params.stage} (one of ${STAGES.join(', ')})`);
      if (scope.scoped)
        throw new ApiError(
          403,
          'forbidden',
          'branch-scoped keys cannot requeue (dead letters span branches)',
        );
      return d.queues.requeueDead(stage.data, body.max);
    },
  );

  t.add(
    {
      method: 'get',
      path: '/cluster',
      summary: 'The posflow deployments and pods (in Kubernetes), else {inCluster: false}',
      tag: 'ops',
      role: 'viewer',
      response: ClusterView,
    },
    async () => d.cluster.view(),
  );
}
