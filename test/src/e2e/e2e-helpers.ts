import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from 'mongodb';
import { SHARED_FIXTURES, waitUntil } from '../support/processes.js';
import type { Pipeline } from '../support/pipeline.js';

export const FIXTURES_PRESENT = existsSync(join(SHARED_FIXTURES, 'pos-exports'));
export const FIXTURES_ABSENT_REASON = `../shared/fixtures not found at ${SHARED_FIXTURES}: fixture-based end-to-end tests are skipped`;
if (!FIXTURES_PRESENT) process.stderr.write(`[e2e] ${FIXTURES_ABSENT_REASON}\n`);

/** The (branch, pos, date) groups of the real fixtures, from their legacy-output names. */
export function fixtureGroups(): Array<{ branch: string; pos: number; date: string }> {
  if (!FIXTURES_PRESENT) return [];
  return readdirSync(join(SHARED_FIXTURES, 'legacy-output'))
    .map((f) => /^(.+)_(\d)_(\d{4}-\d{2}-\d{2})\.csv$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ branch: m[1]!, pos: Number(m[2]), date: m[3]! }));
}

export function toMissingMap(
  groups: Array<{ branch: string; pos: number; date: string }>,
): Record<string, Record<string, string[]>> {
  const map: Record<string, Record<string, string[]>> = {};
  for (const g of groups) ((map[g.branch] ??= {})[String(g.pos)] ??= []).push(g.date);
  return map;
}

export interface JobView {
  id: string;
  status: string;
  total: number;
  done: number;
  counts: Record<string, number>;
  rowsLoaded: number;
  rowsDropped: number;
  failures?: Array<{ partition: string; stage: string; reason: string }>;
}

export async function getJob(p: Pipeline, jobId: string): Promise<JobView> {
  const res = await p.api(`/api/v1/jobs/${jobId}`);
  if (!res.ok) throw new Error(`GET job ${jobId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as JobView;
}

/** Waits until the job is no longer running; returns its final view. */
export async function waitForJob(p: Pipeline, jobId: string, timeoutMs = 300_000): Promise<JobView> {
  let last: JobView | undefined;
  await waitUntil(
    `job ${jobId} to finish`,
    async () => {
      last = await getJob(p, jobId);
      return last.status !== 'running';
    },
    timeoutMs,
    500,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last state ${JSON.stringify(last)}`);
  });
  return last!;
}

export async function enqueue(
  p: Pipeline,
  path: string,
  body: unknown,
): Promise<{ jobId: string; partitions: number; enqueued: number; skipped: number }> {
  const res = await p.api(path, { method: 'POST', body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { jobId: string; partitions: number; enqueued: number; skipped: number };
}

/** Rows visible per partition (current generation only), and the total of every stored row. */
export async function rowCounts(
  db: Db,
): Promise<{ visible: Map<string, number>; stored: number; ids: Set<string> }> {
  const parts = await db
    .collection<{ _id: string; generation: number; status: string }>('partitions')
    .find({})
    .toArray();
  const visible = new Map<string, number>();
  for (const part of parts) {
    visible.set(
      part._id,
      await db.collection('transactions').countDocuments({ pg: `${part._id}#${part.generation}` }),
    );
  }
  const ids = new Set(
    (
      await db
        .collection('transactions')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => String(d._id)),
  );
  return { visible, stored: ids.size, ids };
}
