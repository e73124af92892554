import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { JobProgressView, JobsQuery } from '@posflow/contracts';
import type { GatewayDeps } from '../deps.js';
import { ApiError, notFound } from '../http/api-error.js';
import type { RouteTable } from '../http/route-table.js';
import { jobVisible, readJobProgress } from '../job-progress.js';

export function registerJobRoutes(t: RouteTable, d: GatewayDeps): void {
  t.add(
    { method: 'get', path: '/jobs', summary: 'Recent jobs', tag: 'jobs', role: 'viewer', query: JobsQuery },
    async ({ query, scope }) => {
      const filter: Record<string, unknown> = query.status ? { status: query.status } : {};
      if (scope.branches) filter['request.branchesCovered'] = { $in: [...scope.branches] };
      // Scoped keys: fetch more and drop the jobs that also cover other branches.
      const jobs = await d.jobViews.list(filter, scope.scoped ? query.limit * 4 : query.limit);
      return {
        items: jobs
          .filter((j) => jobVisible(scope, j.request))
          .slice(0, query.limit)
          .map((j) => ({
            id: j._id,
            kind: j.kind,
            status: j.status,
            total: j.total,
            createdBy: j.createdBy,
            createdAt: j.createdAt,
            finishedAt: j.finishedAt,
            request: j.request,
          })),
      };
    },
  );

  t.add(
    {
      method: 'get',
      path: '/jobs/:id',
      summary: 'A job: status, counts by partition status, rows, failures with reasons',
      tag: 'jobs',
      role: 'viewer',
      response: JobProgressView,
    },
    async ({ params, scope }) => {
      const view = await readJobProgress(d, params.id ?? '', scope, true);
      if (!view) throw notFound(`job ${params.id}`);
      return view;
    },
  );

  t.add(
    {
      method: 'get',
      path: '/jobs/:id/events',
      summary: 'Server-Sent Events: the current state at once, progress every ~1 s, a final `end` event',
      tag: 'jobs',
      role: 'viewer',
      produces: 'text/event-stream',
    },
    async ({ params, scope, req, res }) => {
      const id = params.id ?? '';
      const first = await readJobProgress(d, id, scope, false);
      if (!first) throw notFound(`job ${id}`);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const stop = new AbortController();
      req.once('close', () => stop.abort());
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let view: JobProgressView | null = first;
      try {
        while (view && !stop.signal.aborted) {
          if (view.status !== 'running') {
            send('end', await readJobProgress(d, id, scope, true));
            break;
          }
          send('progress', view);
          await sleep(d.settings.sseIntervalMs, undefined, { signal: stop.signal });
          view = await readJobProgress(d, id, scope, false);
        }
      } catch (err) {
        if (!stop.signal.aborted) throw err;
      }
      res.end();
      return undefined;
    },
  );

  t.add(
    {
      method: 'post',
      path: '/jobs/:id/retry-failed',
      summary: "Re-enqueue a job's failed partitions",
      tag: 'jobs',
      role: 'operator',
      response: z.object({ jobId: z.string(), requeued: z.number().int() }),
      status: 202,
    },
    async ({ params, scope }) => {
      const job = await d.jobs.get(params.id ?? '');
      if (!job || !jobVisible(scope, job.request)) throw notFound(`job ${params.id}`);
      if (job.status === 'cancelled') throw new ApiError(409, 'job_cancelled', 'the job was cancelled');
      return d.enqueue.retryFailed(job);
    },
  );

  t.add(
    {
      method: 'post',
      path: '/jobs/:id/cancel',
      summary: 'Cancel a running job (no new work is enqueued for it; queued fetches are acked without work)',
      tag: 'jobs',
      role: 'operator',
      response: JobProgressView,
    },
    async ({ params, scope }) => {
      const id = params.id ?? '';
      const job = await d.jobs.get(id);
      if (!job || !jobVisible(scope, job.request)) throw notFound(`job ${id}`);
      if (!(await d.jobs.cancel(id)))
        throw new ApiError(409, 'job_not_running', `the job is ${job.status}, not running`);
      return readJobProgress(d, id, scope, true);
    },
  );
}
