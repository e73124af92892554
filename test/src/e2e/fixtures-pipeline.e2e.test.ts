import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { SHARED_FIXTURES } from '../support/processes.js';
import { startPipeline, type Pipeline } from '../support/pipeline.js';
import {
  FIXTURES_ABSENT_REASON,
  FIXTURES_PRESENT,
  enqueue,
  fixtureGroups,
  rowCounts,
  toMissingMap,
  waitForJob,
} from './e2e-helpers.js';

/**
 * The 12 real fixture groups through the whole pipeline (real processes, real
 * RabbitMQ and database, the simulator over HTTP): every partition loaded and
 * the gateway's legacy export byte-identical to the legacy script's output.
 */
describe.skipIf(!FIXTURES_PRESENT)(
  `fixture groups end to end${FIXTURES_PRESENT ? '' : ` (skipped: ${FIXTURES_ABSENT_REASON})`}`,
  () => {
    let sim: UpstreamSimulator;
    let p: Pipeline;
    const groups = fixtureGroups();

    beforeAll(async () => {
      sim = await startUpstreamSimulator({ dir: join(SHARED_FIXTURES, 'pos-exports') });
      p = await startPipeline({ upstreamUrl: sim.url, referenceDir: join(SHARED_FIXTURES, 'reference') });
    });
    afterAll(async () => {
      await p?.stop();
      await sim?.close();
    });

    test('every fixture partition ends loaded and its legacy export is byte-identical', async () => {
      expect(groups).toHaveLength(12);
      const job = await enqueue(p, '/api/v1/fetch/missing', { branches_missing: toMissingMap(groups) });
      expect(job.enqueued).toBe(12);
      const done = await waitForJob(p, job.jobId);
      expect(done.failures ?? []).toEqual([]);
      expect(done.counts).toEqual({ loaded: 12 });
      expect(done.status).toBe('succeeded');
      for (const g of groups) {
        const res = await p.api(`/api/v1/export/legacy?branch=${g.branch}&pos=${g.pos}&date=${g.date}`);
        expect(res.status).toBe(200);
        const body = Buffer.from(await res.arrayBuffer());
        const expected = readFileSync(
          join(SHARED_FIXTURES, 'legacy-output', `${g.branch}_${g.pos}_${g.date}.csv`),
        );
        expect(body.equals(expected), `${g.branch}_${g.pos}_${g.date} legacy export differs`).toBe(true);
      }
    });

    test('a second identical run changes nothing (same rows, same ids)', async () => {
      const db = (await p.mongo()).db();
      const before = await rowCounts(db);
      const again = await enqueue(p, '/api/v1/fetch/missing', { branches_missing: toMissingMap(groups) });
      // loaded partitions are not fetched again unless forced
      expect(again.enqueued).toBe(0);
      const forced = await enqueue(p, '/api/v1/fetch/missing', {
        branches_missing: toMissingMap(groups),
        force: true,
      });
      expect(forced.enqueued).toBe(12);
      const done = await waitForJob(p, forced.jobId);
      expect(done.counts).toEqual({ loaded: 12 });
      const after = await rowCounts(db);
      expect(after.visible).toEqual(before.visible);
      expect(after.stored).toBe(before.stored);
      expect([...after.ids].sort()).toEqual([...before.ids].sort());
    });

    test('a branches_missing map from the coverage scan fetches exactly the missing partitions', async () => {
      // Scan the two fixture dates for the fixture branches: the 12 groups are loaded;
      // every other (branch, pos 1/2, date) of that scan is missing (never fetched).
      const branches = [...new Set(groups.map((g) => g.branch))].slice(0, 3);
      const scanRes = await p.api('/api/v1/missing/scan', {
        method: 'POST',
        body: JSON.stringify({ from: '2026-02-09', to: '2026-02-09', branches, pos: [1, 2] }),
      });
      expect(scanRes.status).toBe(200);
      const scan = (await scanRes.json()) as {
        branches_missing: Record<string, Record<string, string[]>>;
        missing: number;
      };
      const expected = branches
        .flatMap((b) => [1, 2].map((pos) => ({ branch: b, pos, date: '2026-02-09' })))
        .filter((k) => !groups.some((g) => g.branch === k.branch && g.pos === k.pos && g.date === k.date));
      expect(scan.missing).toBe(expected.length);
      expect(scan.branches_missing).toEqual(toMissingMap(expected));

      sim.resetStats();
      const job = await enqueue(p, '/api/v1/fetch/missing', { branches_missing: scan.branches_missing });
      expect(job.enqueued).toBe(expected.length);
      const done = await waitForJob(p, job.jobId);
      expect(done.done).toBe(expected.length);
      const asked = sim
        .stats()
        .requests.filter((r) => r.kind === 'list')
        .map((r) => `${r.form?.branch}_${r.form?.pos}_${r.form?.date}`)
        .sort();
      expect(asked).toEqual(expected.map((k) => `${k.branch}_${k.pos}_${k.date}`).sort());
    });
  },
);
