import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TEST_INFRA } from '@posflow/runtime/testing';
import { ensureInfra, portOpen } from '../../../scripts/stack.mjs';
import { pidsListeningOn, programOf } from '../support/listening-process.js';
import { waitUntil } from '../support/processes.js';
import { createWorld, partitionStatuses, type World } from './synthetic-world.js';

const ensure = ensureInfra;
const isOpen = portOpen;

/** The port of the database this test's pipeline uses (27017, the stack's FerretDB, unless TEST_MONGO_BASE says otherwise). */
const DB_PORT = Number(new URL(TEST_INFRA.mongoBase).port || 27017);

/**
 * The FerretDB this test's pipeline uses: the process listening on its port.
 * Never matched by name: other FerretDB instances on the machine (e.g. a
 * benchmark's on another port) are not this test's to stop.
 */
function ourFerretPids(): number[] {
  return pidsListeningOn(DB_PORT).filter((pid) => basename(programOf(pid) ?? '') === 'ferretdb');
}

async function midBackfill(w: World): Promise<void> {
  await waitUntil(
    'backfill under way',
    async () => {
      const s = await partitionStatuses(w);
      return (
        (s.fetched ?? 0) + (s.combining ?? 0) + (s.combined ?? 0) + (s.importing ?? 0) + (s.loaded ?? 0) >= 2
      );
    },
    120_000,
    50,
  );
}

/**
 * The broker and the database go away during a backfill and come back:
 * publishers and consumers reconnect by themselves, work pauses and resumes,
 * nothing is lost or duplicated.
 */
describe('infrastructure restarts during a backfill', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ branches: 3, orders: 0.7, seed: 11 });
  });
  afterAll(async () => {
    await ensure(); // whatever happened, leave the infrastructure up
    await w?.close();
  });

  test('RabbitMQ stopped and started: services reconnect and finish the job', async () => {
    w.sim.setFaults([{ kind: 'latency', ms: 100, match: { target: 'any' } }]);
    const jobId = await w.backfill();
    await midBackfill(w);
    execFileSync('rabbitmqctl', ['stop_app'], { stdio: 'ignore' });
    await sleep(3_000);
    execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
    await waitUntil('broker back', () => isOpen(5672), 60_000);
    w.sim.setFaults([]);
    const done = await w.waitDone(jobId);
    expect(done.failures ?? []).toEqual([]);
    await w.expectExactRows();
    // every service process survived the outage
    for (const s of w.p.all()) expect(s.running, `${s.name} still running`).toBe(true);
  });

  test('the database stopped and started: work pauses and resumes, nothing lost', async () => {
    // new partitions: the next four days
    const from = '2026-01-09';
    const to = '2026-01-10';
    const { writeDataset } = await import('@posflow/synth');
    const more = await writeDataset({
      outDir: `${w.dir}/exports`,
      branches: w.range.branches,
      newBranches: w.dataset.newBranches,
      pos: w.range.pos,
      from,
      to,
      seed: 12,
      edgeCases: false,
      scale: { orders: 0.7, loyalty: 0.01 },
    });
    await w.sim.rescan();
    w.sim.setFaults([{ kind: 'latency', ms: 100, match: { target: 'any' } }]);
    const res = await w.p.api('/api/v1/fetch/range', {
      method: 'POST',
      body: JSON.stringify({ from, to, branches: w.range.branches, pos: w.range.pos }),
    });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    await waitUntil(
      'second backfill under way',
      async () => {
        const db = (await w.p.mongo()).db();
        return (
          (await db.collection('partitions').countDocuments({
            date: { $gte: from },
            status: { $in: ['fetched', 'combining', 'combined', 'importing', 'loaded'] },
          })) >= 1
        );
      },
      120_000,
      50,
    );
    const pids = ourFerretPids();
    expect(pids.length, `a FerretDB listening on ${DB_PORT}`).toBeGreaterThan(0);
    // A hard stop (as a crash or an evicted pod): a SIGTERMed FerretDB keeps serving its open
    // connections while it drains, which is not the outage this test is about.
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await waitUntil(
      'database down',
      async () => !(await isOpen(DB_PORT)) && pids.every((pid) => programOf(pid) === undefined),
      30_000,
    );
    await sleep(3_000);
    await ensure();
    w.sim.setFaults([]);
    const done = await w.waitDone(jobId);
    expect(done.failures ?? []).toEqual([]);
    expect(done.counts.loaded ?? 0).toBe(more.partitions.filter((x) => !x.closed).length);
    for (const s of w.p.all()) expect(s.running, `${s.name} still running`).toBe(true);
  });
});
