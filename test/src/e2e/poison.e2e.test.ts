import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateGroup } from '@posflow/synth';
import { waitUntil } from '../support/processes.js';
import { enqueue, waitForJob } from './e2e-helpers.js';
import { createWorld, type World } from './synthetic-world.js';

/**
 * Poison input (garbage bytes, a CSV of the wrong type under an rd5000 name):
 * the partition ends failed with a reason in the monitor and the dead-letter
 * queue; other partitions are unaffected.
 */
describe('poison input', () => {
  let w: World;
  const branch = () => w.range.branches[0]!;
  beforeAll(async () => {
    w = await createWorld({
      branches: 2,
      pos: [1],
      from: '2026-01-05',
      to: '2026-01-06',
      orders: 0.3,
      seed: 31,
    });
    const dir = join(w.dir, 'exports', 'poison');
    await mkdir(dir, { recursive: true });
    for (const [date, poison] of [
      ['2026-01-12', 'garbage'],
      ['2026-01-13', 'wrong-type'],
    ] as const) {
      const g = generateGroup({
        branch: branch(),
        pos: 1,
        date,
        seed: 5,
        scale: { orders: 0.2, loyalty: 0.01 },
      });
      for (const f of g.files) {
        let content = f.content;
        if (f.type === 'rd5000') {
          content =
            poison === 'garbage' ? randomBytes(4096) : g.files.find((x) => x.type === 'rd5500')!.content;
        }
        await writeFile(join(dir, f.name), content);
      }
    }
    await w.sim.rescan();
  });
  afterAll(async () => w?.close());

  test('poisoned partitions fail with a reason; the others load', async () => {
    const map = {
      [branch()]: { '1': ['2026-01-12', '2026-01-13', '2026-01-05'] },
      [w.range.branches[1]!]: { '1': ['2026-01-05', '2026-01-06'] },
    };
    const job = await enqueue(w.p, '/api/v1/fetch/missing', { branches_missing: map });
    const done = await waitForJob(w.p, job.jobId);
    expect(done.status, JSON.stringify(done)).toBe('partial');
    expect(done.counts, JSON.stringify(done)).toMatchObject({ failed: 2, loaded: 3 });
    expect(done.counts.failed).toBe(2);
    expect(done.counts.loaded).toBe(3);
    const failures = done.failures ?? [];
    expect(failures.map((f) => f.partition).sort()).toEqual([
      `${branch()}_1_2026-01-12`,
      `${branch()}_1_2026-01-13`,
    ]);
    for (const f of failures) expect(f.reason.length).toBeGreaterThan(10);

    const db = (await w.p.mongo()).db();
    const failedEntries = await db.collection('monitor').find({ kind: 'partition-failed' }).toArray();
    expect(failedEntries.map((m) => `${m.branch}_${m.pos}_${m.date}`).sort()).toEqual(
      failures.map((f) => f.partition).sort(),
    );

    // the messages sit in a dead-letter queue (the management API refreshes its figures every few seconds)
    await waitUntil(
      'dead letters visible',
      async () => {
        let depth = 0;
        for (const stage of ['fetch', 'combine', 'import'])
          depth += await w.p.vhost.queueDepth(`posflow.${stage}.dead`);
        return depth >= 2;
      },
      30_000,
      500,
    );
    const queues = JSON.stringify(await (await w.p.api('/api/v1/queues')).json());
    expect(queues).toMatch(/dead/i);
  });
});
