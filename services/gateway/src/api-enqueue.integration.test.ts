/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- API answers are read as untyped JSON here; the assertions check their shape */
import amqplib, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Queues, type Stage } from '@posflow/contracts';
import { startHarness, type Harness } from './testing/api-harness.js';
import { StuckPartitionSweeper } from './stuck-partitions.sweeper.js';

let h: Harness;
let raw: ChannelModel;

/** Takes every message out of a stage's work queue (nothing consumes in this vhost). */
async function drain(stage: Stage): Promise<Array<{ payload: { partition: { branch: string; pos: number; date: string }; jobId?: string; force?: boolean; reason?: string } }>> {
  const ch = await raw.createChannel();
  const out = [];
  for (;;) {
    const m = await ch.get(Queues.work(stage), { noAck: true });
    if (!m) break;
    out.push(JSON.parse(m.content.toString()));
  }
  await ch.close();
  return out;
}

beforeAll(async () => {
  h = await startHarness();
  raw = await amqplib.connect(h.vhost.amqpUrl);
});
afterAll(async () => {
  await raw?.close();
  await h?.close();
});

describe('auth', () => {
  test('no key or an unknown key → 401; the error has the API shape', async () => {
    const r = await h.json(null, 'GET', '/api/v1/jobs');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'unauthenticated' });
    const bad = await fetch(`${h.url}/api/v1/jobs`, { headers: { 'x-api-key': 'wrong-key-wrong-key' } });
    expect(bad.status).toBe(401);
  });
  test('X-API-Key works like Bearer', async () => {
    const r = await fetch(`${h.url}/api/v1/jobs`, { headers: { 'x-api-key': 'test-viewer-key-00000001' } });
    expect(r.status).toBe(200);
  });
  test('GET /me tells the caller its role and branch scope', async () => {
    const viewer = await h.json('viewer', 'GET', '/api/v1/me');
    expect(viewer.status).toBe(200);
    expect(viewer.body).toMatchObject({ role: 'viewer' });
    expect(viewer.body.branches).toBeUndefined();
    const scoped = await h.json('bmcOperator', 'GET', '/api/v1/me');
    expect(scoped.body).toMatchObject({ role: 'operator', branches: ['BMC'] });
  });

  test('viewers cannot enqueue, operators and admins can', async () => {
    const body = { from: '2026-01-01', to: '2026-01-01', branches: ['EME'], pos: [1] };
    expect((await h.json('viewer', 'POST', '/api/v1/fetch/range', body)).status).toBe(403);
    expect((await h.json('operator', 'POST', '/api/v1/fetch/range', body)).status).toBe(202);
    expect((await h.json('admin', 'POST', '/api/v1/fetch/range', { ...body, force: true })).status).toBe(202);
    await drain('fetch');
  });
  test('a branch-scoped key is refused other branches and narrowed when it names none', async () => {
    const denied = await h.json('bmcOperator', 'POST', '/api/v1/fetch/range', { from: '2026-01-02', to: '2026-01-02', branches: ['EME'] });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('branch_forbidden');
    const ok = await h.json('bmcOperator', 'POST', '/api/v1/fetch/range', { from: '2026-01-02', to: '2026-01-02' });
    expect(ok.status).toBe(202);
    const msgs = await drain('fetch');
    expect(new Set(msgs.map((m) => m.payload.partition.branch))).toEqual(new Set(['BMC']));
    // its job is visible to it; an all-branch job is not
    const all = await h.json('operator', 'POST', '/api/v1/fetch/range', { from: '2026-01-03', to: '2026-01-03', pos: [1] });
    await drain('fetch');
    const mine = await h.json('bmcViewer', 'GET', '/api/v1/jobs');
    const ids = mine.body.items.map((j: { id: string }) => j.id);
    expect(ids).toContain(ok.body.jobId);
    expect(ids).not.toContain(all.body.jobId);
    expect((await h.json('bmcViewer', 'GET', `/api/v1/jobs/${all.body.jobId}`)).status).toBe(404);
  });
});

describe('validation', () => {
  test.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, /not a real calendar date/],
    [{ from: '2026-3-1', to: '2026-03-01' }, /YYYY-MM-DD/],
    [{ from: '2026-03-02', to: '2026-03-01' }, /after/],
    [{ from: '2024-01-01', to: '2026-03-01' }, /over the limit of 400 days/],
    [{ from: '2026-03-01', to: '2026-03-01', branches: ['NOPE'] }, /unknown branch NOPE/],
    [{ from: '2026-03-01', to: '2026-03-01', pos: [12] }, /pos must be 1\.\.9/],
  ])('fetch/range %j → 400', async (body, message) => {
    const r = await h.json('operator', 'POST', '/api/v1/fetch/range', body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });
  test.each([
    [{ branches_missing: { BMC: { '1': ['2026-13-01'] } } }, /branches_missing\.BMC\.1\.0/],
    [{ branches_missing: { BMC: { one: ['2026-01-01'] } } }, /branches_missing\.BMC\.one/],
    [{ branches_missing: { BMC: ['2026-01-01'] } }, /branches_missing\.BMC/],
    [{ branches_missing: {} }, /lists no dates/],
    [{}, /branches_missing/],
    [{ branches_missing: { ZZZ: { '1': ['2026-01-01'] } } }, /unknown branch ZZZ/],
  ])('fetch/missing %j → 400', async (body, message) => {
    const r = await h.json('operator', 'POST', '/api/v1/fetch/missing', body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });
  test('a body that is not JSON → 400', async () => {
    const r = await h.call('operator', 'POST', '/api/v1/fetch/range', undefined, { 'content-type': 'application/json' });
    const bad = await fetch(`${h.url}/api/v1/fetch/range`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-operator-key-000001', 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(r.status).toBe(400);
    expect(bad.status).toBe(400);
  });
});

describe('enqueue semantics', () => {
  test('one fetch message per partition; in-flight ones not enqueued twice; loaded skipped unless force', async () => {
    const body = { from: '2026-02-01', to: '2026-02-03', branches: ['BMC', 'EME'], pos: [1, 2] };
    const first = await h.json('operator', 'POST', '/api/v1/fetch/range', body);
    expect(first.body).toMatchObject({ partitions: 12, enqueued: 12, skipped: 0 });
    const msgs = await drain('fetch');
    expect(msgs).toHaveLength(12);
    expect(new Set(msgs.map((m) => `${m.payload.partition.branch}_${m.payload.partition.pos}_${m.payload.partition.date}`)).size).toBe(12);
    expect(msgs.every((m) => m.payload.jobId === first.body.jobId)).toBe(true);

    // while they are pending/in flight, asking again enqueues nothing
    const again = await h.json('operator', 'POST', '/api/v1/fetch/range', body);
    expect(again.body).toMatchObject({ enqueued: 0, skipped: 12, skippedBy: { 'in-flight': 12 } });
    expect(await drain('fetch')).toHaveLength(0);

    // the pipeline loads one: it is skipped, unless forced
    const key = { branch: 'BMC', pos: 1, date: '2026-02-01' };
    const parts = h.deps.partitions;
    await parts.transition(key, ['pending'], 'fetching');
    await parts.transition(key, ['fetching'], 'fetched');
    await parts.transition(key, ['fetched'], 'combining');
    await parts.transition(key, ['combining'], 'combined');
    await parts.transition(key, ['combined'], 'importing');
    await parts.transition(key, ['importing'], 'loaded', { generation: 1, rowsLoaded: 5 });
    await parts.col.updateMany({ status: 'pending' }, { $set: { updatedAt: new Date(Date.now() - 2 * 3_600_000) } });
    const one = { from: '2026-02-01', to: '2026-02-01', branches: ['BMC'], pos: [1] };
    const skipped = await h.json('operator', 'POST', '/api/v1/fetch/range', one);
    expect(skipped.body).toMatchObject({ enqueued: 0, skippedBy: { loaded: 1 } });
    const forced = await h.json('operator', 'POST', '/api/v1/fetch/range', { ...one, force: true });
    expect(forced.body).toMatchObject({ enqueued: 1, skipped: 0 });
    const [m] = await drain('fetch');
    expect(m?.payload).toMatchObject({ partition: key, force: true });
    // a forced reload keeps the rows readable but no longer counts as done
    expect((await parts.get(key))?.status).toBe('stale');
    // stuck for longer than the in-flight window: enqueued again
    const stuck = await h.json('operator', 'POST', '/api/v1/fetch/range', { ...one, branches: ['EME'] });
    expect(stuck.body).toMatchObject({ enqueued: 1 });
    await drain('fetch');
  });

  test('fetch/missing takes the legacy map as is', async () => {
    const r = await h.json('operator', 'POST', '/api/v1/fetch/missing', {
      branches_missing: { MAGS: { '1': ['2026-01-10', '2026-01-11'], '2': ['2026-01-10'] } },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ partitions: 3, enqueued: 3 });
    const msgs = await drain('fetch');
    expect(msgs.map((m) => m.payload.partition).sort((a, b) => (a.date + a.pos).localeCompare(b.date + b.pos))).toEqual([
      { branch: 'MAGS', pos: 1, date: '2026-01-10' },
      { branch: 'MAGS', pos: 2, date: '2026-01-10' },
      { branch: 'MAGS', pos: 1, date: '2026-01-11' },
    ]);
    const job = await h.json('viewer', 'GET', `/api/v1/jobs/${r.body.jobId}`);
    expect(job.body).toMatchObject({ kind: 'missing', total: 3, status: 'running', counts: { pending: 3 } });
  });

  test('recombine publishes combine requests only for partitions with chosen files', async () => {
    const files = h.deps.fileRecords;
    const base = { type: 'rd5000' as const, upstreamPath: 'x', sendTime: '20-00', size: 1, dataRows: 1, sha256: 'a', gridfsId: '0'.repeat(24), source: 'upstream' as const, fetchedAt: new Date() };
    await files.insertIfNew({ ...base, _id: 'r1', branch: 'BETA', pos: 1, date: '2026-01-20', name: 'a.csv', status: 'chosen' });
    await files.insertIfNew({ ...base, _id: 'r2', branch: 'BETA', pos: 1, date: '2026-01-21', name: 'b.csv', status: 'superseded' });
    // a partition that failed at combine a while ago: a recombine may take it
    await h.deps.partitions.register([{ branch: 'BETA', pos: 1, date: '2026-01-20' }], undefined);
    await h.deps.partitions.col.updateOne({ _id: 'BETA_1_2026-01-20' }, { $set: { status: 'failed', updatedAt: new Date(0) } });
    const r = await h.json('operator', 'POST', '/api/v1/recombine', { from: '2026-01-20', to: '2026-01-21', branches: ['BETA'] });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ partitions: 1 });
    const msgs = await drain('combine');
    expect(msgs.map((m) => [m.payload.partition.date, m.payload.reason])).toEqual([['2026-01-20', 'recombine']]);
  });
});

describe('jobs', () => {
  test('SSE: a late subscriber gets the current state at once, then the end when the job finishes', async () => {
    const r = await h.json('operator', 'POST', '/api/v1/fetch/range', { from: '2026-01-25', to: '2026-01-25', branches: ['EME'], pos: [1] });
    await drain('fetch');
    const res = await h.call('viewer', 'GET', `/api/v1/jobs/${r.body.jobId}/events`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    while (!text.includes('event: progress')) text += dec.decode((await reader.read()).value);
    expect(text).toMatch(/"status":"running"/);
    // the pipeline finishes the partition: empty day
    const key = { branch: 'EME', pos: 1, date: '2026-01-25' };
    await h.deps.partitions.transition(key, ['pending'], 'fetching');
    await h.deps.partitions.transition(key, ['fetching'], 'empty');
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value);
    }
    expect(text).toMatch(/event: end\ndata: .*"status":"partial"/);

    // a subscriber arriving after the end gets the final state and the stream closes
    const late = await (await h.call('viewer', 'GET', `/api/v1/jobs/${r.body.jobId}/events`)).text();
    expect(late.startsWith('event: end\n')).toBe(true);
    expect(late).toMatch(/"done":1/);
  });

  test('retry-failed re-enqueues the failed partitions; cancel stops the job', async () => {
    const r = await h.json('operator', 'POST', '/api/v1/fetch/range', { from: '2026-01-26', to: '2026-01-27', branches: ['AYALA-FRN'], pos: [1] });
    await drain('fetch');
    const key = { branch: 'AYALA-FRN', pos: 1, date: '2026-01-26' };
    await h.deps.partitions.markFailed(key, 'fetch', 'upstream kept answering HTML', 5);
    const job = await h.json('viewer', 'GET', `/api/v1/jobs/${r.body.jobId}`);
    expect(job.body.failures).toEqual([{ partition: 'AYALA-FRN_1_2026-01-26', stage: 'fetch', reason: 'upstream kept answering HTML', attempts: 5 }]);
    expect((await h.json('viewer', 'POST', `/api/v1/jobs/${r.body.jobId}/retry-failed`)).status).toBe(403);
    const retry = await h.json('operator', 'POST', `/api/v1/jobs/${r.body.jobId}/retry-failed`);
    expect(retry.body).toEqual({ jobId: r.body.jobId, requeued: 1 });
    expect((await drain('fetch')).map((m) => m.payload.partition)).toEqual([key]);
    expect((await h.deps.partitions.get(key))?.status).toBe('pending');

    const cancel = await h.json('operator', 'POST', `/api/v1/jobs/${r.body.jobId}/cancel`);
    expect(cancel.body.status).toBe('cancelled');
    expect((await h.json('operator', 'POST', `/api/v1/jobs/${r.body.jobId}/cancel`)).status).toBe(409);
    expect((await h.json('operator', 'POST', `/api/v1/jobs/${r.body.jobId}/retry-failed`)).status).toBe(409);
    expect((await h.json('viewer', 'GET', '/api/v1/jobs/nope')).status).toBe(404);
  });
});

describe('partitions, coverage, missing scan', () => {
  test('known-empty, coverage grid and the missing map', async () => {
    expect((await h.json('viewer', 'POST', '/api/v1/partitions/BETA_1_2026-03-02/known-empty')).status).toBe(403);
    expect((await h.json('bmcOperator', 'POST', '/api/v1/partitions/BETA_1_2026-03-02/known-empty')).status).toBe(403);
    expect((await h.json('operator', 'POST', '/api/v1/partitions/garbage/known-empty')).status).toBe(400);
    const ke = await h.json('operator', 'POST', '/api/v1/partitions/BETA_1_2026-03-02/known-empty');
    expect(ke.body).toEqual({ id: 'BETA_1_2026-03-02', status: 'pending', knownEmpty: true });

    const scan = await h.json('viewer', 'POST', '/api/v1/missing/scan', { from: '2026-03-01', to: '2026-03-02', branches: ['BETA'], pos: [1] });
    expect(scan.body.branches_missing).toEqual({ BETA: { '1': ['2026-03-01'] } });
    expect(scan.body.empty).toEqual([{ branch: 'BETA', pos: 1, date: '2026-03-02', knownEmpty: true }]);
    expect((await h.json('viewer', 'POST', '/api/v1/missing/scan', { from: '2026-03-01', to: '2026-03-02', enqueue: true })).status).toBe(403);
    const enq = await h.json('operator', 'POST', '/api/v1/missing/scan', { from: '2026-03-01', to: '2026-03-02', branches: ['BETA'], pos: [1], enqueue: true });
    expect(enq.body.job).toMatchObject({ enqueued: 1 });
    expect((await drain('fetch')).map((m) => m.payload.partition.date)).toEqual(['2026-03-01']);

    const grid = await h.json('viewer', 'GET', '/api/v1/coverage?from=2026-03-01&to=2026-03-02&branch=BETA');
    expect(grid.body.dates).toEqual(['2026-03-01', '2026-03-02']);
    expect(grid.body.rows).toEqual([
      { branch: 'BETA', pos: 1, cells: [{ status: 'pending', rows: 0 }, { status: 'pending', rows: 0, knownEmpty: true }] },
    ]);
    const scoped = await h.json('bmcViewer', 'GET', '/api/v1/coverage?from=2026-03-01&to=2026-03-02');
    expect(scoped.body.rows.map((r: { branch: string }) => r.branch)).toEqual(['BMC']);
    expect((await h.json('bmcViewer', 'GET', '/api/v1/coverage?from=2026-03-01&to=2026-03-02&branch=BETA')).status).toBe(403);

    const list = await h.json('viewer', 'GET', '/api/v1/partitions?from=2026-03-01&to=2026-03-02&status=pending');
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual(['BETA_1_2026-03-01', 'BETA_1_2026-03-02']);
  });
});

describe('rate limit', () => {
  test('write requests over the bucket get 429 with Retry-After', async () => {
    const tight = await startHarness({ rateLimit: { perMinute: 1, burst: 2 } });
    try {
      const body = { from: '2026-04-01', to: '2026-04-01', branches: ['BMC'], pos: [1] };
      expect((await tight.call('operator', 'POST', '/api/v1/fetch/range', body)).status).toBe(202);
      expect((await tight.call('operator', 'POST', '/api/v1/fetch/range', body)).status).toBe(202);
      const limited = await tight.call('operator', 'POST', '/api/v1/fetch/range', body);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // reads are not limited
      expect((await tight.call('operator', 'GET', '/api/v1/jobs')).status).toBe(200);
    } finally {
      await tight.close();
    }
  });
});

describe('stuck-partition sweeper', () => {
  test('re-enqueues partitions in a working status for too long, as one job; fresh ones are left alone', async () => {
    await drain('fetch');
    const old = { branch: 'SWEEP', pos: 1, date: '2026-05-01' };
    const fresh = { branch: 'SWEEP', pos: 2, date: '2026-05-01' };
    await h.deps.partitions.register([old, fresh], undefined);
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await h.deps.partitions.col.updateOne({ _id: 'SWEEP_1_2026-05-01' }, { $set: { status: 'combining', updatedAt: twoHoursAgo } });
    await h.deps.partitions.col.updateOne({ _id: 'SWEEP_2_2026-05-01' }, { $set: { status: 'importing', updatedAt: new Date() } });
    const sweeper = new StuckPartitionSweeper({
      views: h.deps.partitionViews,
      enqueue: h.deps.enqueue,
      logger: h.deps.logger,
      now: () => new Date(),
      stuckAfterMs: 3_600_000, // the harness's inFlightFreshMs
    });
    const swept = await sweeper.sweep();
    expect(swept.keys).toEqual([old]);
    const msgs = await drain('fetch');
    expect(msgs.map((m) => m.payload.partition)).toEqual([old]);
    // The fetcher skips a partition a later stage holds: the stuck one is put back to `stale` first.
    expect(await h.deps.partitions.get(old)).toMatchObject({ status: 'stale' });
    expect(await h.deps.partitions.get(fresh)).toMatchObject({ status: 'importing' });
    const job = await h.json('viewer', 'GET', `/api/v1/jobs/${swept.jobId}`);
    expect(job.body).toMatchObject({ kind: 'missing', createdBy: 'sweeper' });
    expect((await sweeper.sweep()).keys).toEqual([]); // `stale` waits for its fetch; nothing is stuck now
  });
});
