/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- API answers are read as untyped JSON here; the assertions check their shape */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import amqplib, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXPECTED_HEADER_PREFIX, Exchanges, FILE_TYPES, Headers, Queues, type ParsedRow } from '@posflow/contracts';
import { FIXTURES, HAVE_FIXTURES, startHarness, type Harness } from './testing/api-harness.js';
import { makeRow, seedLoaded } from './testing/seed.js';

let h: Harness;
let raw: ChannelModel;
const BMC = { branch: 'BMC', pos: 1, date: '2026-02-09' };
const EME = { branch: 'EME', pos: 1, date: '2026-02-08' };
const PHONE = '09171234512';

if (!HAVE_FIXTURES) console.warn(`gateway API tests: ${FIXTURES} is absent; fixture-based cases are skipped`);

beforeAll(async () => {
  h = await startHarness();
  raw = await amqplib.connect(h.vhost.amqpUrl);
  const db = h.mongo.db;
  const bmcRows = Array.from({ length: 7 }, (_, i) =>
    makeRow(BMC, i + 2, {
      hour: 10 + i,
      daypart: i < 1 ? 'Breakfast' : 'Lunch',
      receiptNo: `R${Math.floor(i / 2)}`,
      amountE4: 1_000_000 + i * 12_345,
      productClean: i % 2 ? 'SPAG' : 'CRISPY 1PC',
      isModifier: i === 6,
      phone: i === 0 ? PHONE : '',
      legacy: `1,x,${i},${i === 0 ? PHONE : ''},BMC`,
    }),
  );
  await seedLoaded(db, h.deps.partitions, BMC, bmcRows, 2);
  // leftovers of the previous generation (as during a swap): never visible
  await seedLoaded(db, h.deps.partitions, BMC, [makeRow(BMC, 99, { productClean: 'GHOST' })], 1, { rollups: false });
  await h.deps.partitions.col.updateOne({ _id: 'BMC_1_2026-02-09' }, { $set: { generation: 2, rowsLoaded: 7 } });
  await seedLoaded(db, h.deps.partitions, EME, Array.from({ length: 3 }, (_, i) => makeRow(EME, i + 2, { amountE4: 500_000, receiptNo: 'E1' })));
  // the same day a year earlier, for compare=previous-year
  await seedLoaded(db, h.deps.partitions, { branch: 'BMC', pos: 1, date: '2025-02-09' }, [makeRow({ branch: 'BMC', pos: 1, date: '2025-02-09' }, 2, { amountE4: 2_500_000 })]);
});
afterAll(async () => {
  await raw?.close();
  await h?.close();
});

describe('transactions', () => {
  test('cursor pagination walks every current row once, newest first', async () => {
    const seen: Array<{ date: string; time: string; productClean: string }> = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/transactions?from=2026-02-01&to=2026-02-28&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await h.json('operator', 'GET', q);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect(seen.some((r) => r.productClean === 'GHOST')).toBe(false);
    const keys = seen.map((r) => `${r.date} ${r.time}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });
  test('filters, masking for viewers, branch scope', async () => {
    const spag = await h.json('operator', 'GET', '/api/v1/transactions?from=2026-02-01&to=2026-02-28&product=SPAG&daypart=Lunch');
    expect(spag.body.items).toHaveLength(3);
    const q = await h.json('operator', 'GET', '/api/v1/transactions?from=2026-02-01&to=2026-02-28&q=r3');
    expect(q.body.items.map((r: ParsedRow) => r.receiptNo)).toEqual(['R3']);
    const op = await h.json('operator', 'GET', '/api/v1/transactions?from=2026-02-09&to=2026-02-09&branch=BMC&limit=500');
    expect(op.body.items.map((r: ParsedRow) => r.phone)).toContain(PHONE);
    const viewer = await h.json('viewer', 'GET', '/api/v1/transactions?from=2026-02-09&to=2026-02-09&branch=BMC&limit=500');
    expect(viewer.body.items.map((r: ParsedRow) => r.phone)).toContain('0917*****12');
    const scoped = await h.json('bmcViewer', 'GET', '/api/v1/transactions?from=2026-02-01&to=2026-02-28&limit=500');
    expect(new Set(scoped.body.items.map((r: ParsedRow) => r.branch))).toEqual(new Set(['BMC']));
    expect((await h.json('bmcViewer', 'GET', '/api/v1/transactions?from=2026-02-01&to=2026-02-28&branch=EME')).status).toBe(403);
    expect((await h.json('viewer', 'GET', '/api/v1/transactions?from=2026-02-01&to=2026-02-28&limit=501')).status).toBe(400);
    expect((await h.json('viewer', 'GET', '/api/v1/transactions?from=2026-02-01&to=2026-02-28&cursor=zzz')).status).toBe(400);
  });
  test('typed CSV export: exact money, masked for viewers', async () => {
    const csv = await (await h.call('viewer', 'GET', '/api/v1/export/transactions.csv?from=2026-02-09&to=2026-02-09&branch=BMC')).text();
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]?.startsWith('date,time,branch,')).toBe(true);
    expect(lines).toHaveLength(8);
    expect(csv).toContain(',101.2345,');
    expect(csv).toContain('0917*****12');
    expect(csv).not.toContain(PHONE);
  });
});

describe('legacy export', () => {
  test('streams header + legacy lines in legacy order; viewers get masked phones', async () => {
    const op = await (await h.call('operator', 'GET', '/api/v1/export/legacy?branch=BMC&pos=1&date=2026-02-09')).text();
    const lines = op.split('\n');
    expect(lines[0]).toBe(h.deps.legacyHeader);
    expect(lines[1]).toBe(`1,x,6,,BMC`); // highest source line first
    expect(op).toContain(`,${PHONE},BMC`);
    expect(op.endsWith('\n')).toBe(true);
    const viewer = await (await h.call('viewer', 'GET', '/api/v1/export/legacy?branch=BMC&pos=1&date=2026-02-09')).text();
    expect(viewer).toContain(',0917*****12,BMC');
    expect((await h.call('viewer', 'GET', '/api/v1/export/legacy?branch=BMC&pos=2&date=2026-02-09')).status).toBe(404);
    const range = await (await h.call('operator', 'GET', '/api/v1/export/legacy?from=2026-02-01&to=2026-02-28')).text();
    expect(range.split('\n').filter((l) => l === h.deps.legacyHeader)).toHaveLength(1);
    expect(range.trimEnd().split('\n')).toHaveLength(1 + 7 + 3);
  });

  test.skipIf(!HAVE_FIXTURES)('reassembles a fixture partition byte for byte (lines seeded from legacy-output, in file order)', async () => {
    const expected = readFileSync(join(FIXTURES, 'legacy-output', 'BMC_1_2025-10-08.csv'), 'utf8');
    const body = expected.split('\n').slice(1, -1);
    const key = { branch: 'BMC', pos: 1, date: '2025-10-08' };
    // legacy order is reverse source-line order: the first output line has the highest source line
    const rows = body.map((legacy, i) => makeRow(key, body.length + 1 - i, { legacy }));
    await seedLoaded(h.mongo.db, h.deps.partitions, key, rows, 1, { rollups: false });
    const got = await (await h.call('admin', 'GET', '/api/v1/export/legacy?branch=BMC&pos=1&date=2025-10-08')).text();
    expect(got).toBe(expected);
  });

  // The byte-identity of the combine engine's own output is checked end to end once the
  // engine (packages/combine) exports it; the gateway side (ordering, header, newlines) is the case above.
});

describe('sales report from rollups', () => {
  test('sums per day with TC and AC; previous year; scope', async () => {
    const r = await h.json('viewer', 'GET', '/api/v1/reports/sales?from=2026-02-08&to=2026-02-09&groupBy=day&compare=previous-year');
    expect(r.status).toBe(200);
    const bmcSales = Array.from({ length: 7 }, (_, i) => 1_000_000 + i * 12_345).reduce((a, b) => a + b, 0);
    expect(r.body.groups.map((g: { key: string; salesE4: number; tc: number }) => [g.key, g.salesE4, g.tc])).toEqual([
      ['2026-02-08', 1_500_000, 1],
      ['2026-02-09', bmcSales, 4],
    ]);
    expect(r.body.groups[1].previous).toMatchObject({ salesE4: 2_500_000, tc: 1, sales: '250.00' });
    expect(r.body.total).toMatchObject({ salesE4: bmcSales + 1_500_000, tc: 5 });
    const products = await h.json('viewer', 'GET', '/api/v1/reports/sales?from=2026-02-09&to=2026-02-09&groupBy=product&excludeModifiers=true');
    expect(products.body.scope).toBe('products');
    expect(products.body.groups.reduce((n: number, g: { quantity: number }) => n + g.quantity, 0)).toBe(6);
    const branch = await h.json('bmcViewer', 'GET', '/api/v1/reports/sales?from=2026-02-08&to=2026-02-09&groupBy=branch');
    expect(branch.body.groups.map((g: { key: string }) => g.key)).toEqual(['BMC']);
    const weekday = await h.json('viewer', 'GET', '/api/v1/reports/sales?from=2026-02-08&to=2026-02-09&groupBy=weekday');
    expect(weekday.body.groups.map((g: { key: string }) => g.key)).toEqual(['Sunday', 'Monday']);
    expect((await h.json('viewer', 'GET', '/api/v1/reports/sales?from=2026-02-08&to=2026-02-09&groupBy=color')).status).toBe(400);
  });
});

function exportFile(type: (typeof FILE_TYPES)[number], name: string): File {
  const body = `${EXPECTED_HEADER_PREFIX[type]}X\n1,2,3\n4,5,6\n`;
  return new File([body], name, { type: 'text/csv' });
}

describe('files and uploads', () => {
  test('an upload of a day stores FileRecords (source upload) and asks for the combine as an upload job', async () => {
    const form = new FormData();
    if (HAVE_FIXTURES) {
      const dir = join(FIXTURES, 'pos-exports');
      for (const f of readdirSync(dir).filter((n) => n.startsWith('a_B-SMS_1_')))
        form.append('files', new File([readFileSync(join(dir, f))], f));
    } else {
      for (const t of FILE_TYPES) form.append('files', exportFile(t, `a_B-SMS_1_${t}_2026-02-09_21-26_.csv`));
    }
    expect((await h.call('viewer', 'POST', '/api/v1/uploads', form)).status).toBe(403);
    const res = await h.json('operator', 'POST', '/api/v1/uploads', form);
    expect(res.status).toBe(202);
    expect(res.body.partitions).toEqual(['B-SMS_1_2026-02-09']);
    expect(res.body.files).toHaveLength(7);
    const ch = await raw.createChannel();
    const msg = await ch.get(Queues.work('combine'), { noAck: true });
    await ch.close();
    expect(msg && JSON.parse(msg.content.toString()).payload).toMatchObject({ reason: 'upload', jobId: res.body.jobId });
    expect((await h.deps.partitions.getById('B-SMS_1_2026-02-09'))?.status).toBe('fetched');

    const files = await h.json('viewer', 'GET', '/api/v1/files?branch=B-SMS&pos=1&date=2026-02-09');
    expect(files.body.items.every((f: { source: string; status: string }) => f.source === 'upload' && f.status === 'chosen')).toBe(true);
    const rd5000 = files.body.items.find((f: { type: string }) => f.type === 'rd5000');
    const rawRes = await h.call('viewer', 'GET', `/api/v1/files/${encodeURIComponent(rd5000.id)}/raw`);
    expect(rawRes.headers.get('content-disposition')).toContain(rd5000.name);
    expect((await rawRes.text()).startsWith(EXPECTED_HEADER_PREFIX.rd5000)).toBe(true);
  });
  test('bad names and bad headers are rejected and nothing is kept', async () => {
    const form = new FormData();
    form.append('files', exportFile('rd5000', 'a_EME_1_rd5000_2026-02-10_20-00_.csv'));
    form.append('files', new File(['<!doctype html><html>'], 'a_EME_1_rd5500_2026-02-10_20-00_.csv'));
    form.append('files', exportFile('rd1800', 'notes.txt'));
    const res = await h.json('operator', 'POST', '/api/v1/uploads', form);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { name: string }) => d.name).sort()).toEqual(['a_EME_1_rd5500_2026-02-10_20-00_.csv', 'notes.txt']);
    expect(await h.deps.fileRecords.col.countDocuments({ branch: 'EME', date: '2026-02-10' })).toBe(0);
    const scoped = new FormData();
    scoped.append('files', exportFile('rd5000', 'a_EME_1_rd5000_2026-02-10_20-00_.csv'));
    expect((await h.json('bmcOperator', 'POST', '/api/v1/uploads', scoped)).status).toBe(400);
  });
});

describe('monitor, queues, cluster', () => {
  test('monitor list is filtered and scoped; resolve needs an operator', async () => {
    await h.deps.monitor.record({ partition: BMC, kind: 'dropped-rows', key: 'bad-hour', detail: '2 rows' });
    await h.deps.monitor.record({ partition: EME, kind: 'upstream-error', key: 'html', detail: 'HTML page' });
    const all = await h.json('viewer', 'GET', '/api/v1/monitor?resolved=false');
    expect(all.body.items).toHaveLength(2);
    const scoped = await h.json('bmcViewer', 'GET', '/api/v1/monitor');
    expect(scoped.body.items.map((m: { kind: string }) => m.kind)).toEqual(['dropped-rows']);
    const id = all.body.items.find((m: { kind: string }) => m.kind === 'upstream-error').id;
    expect((await h.json('viewer', 'POST', `/api/v1/monitor/${encodeURIComponent(id)}/resolve`)).status).toBe(403);
    expect((await h.json('bmcOperator', 'POST', `/api/v1/monitor/${encodeURIComponent(id)}/resolve`)).status).toBe(404);
    expect((await h.json('operator', 'POST', `/api/v1/monitor/${encodeURIComponent(id)}/resolve`)).body).toEqual({ id, resolved: true });
    const open = await h.json('viewer', 'GET', '/api/v1/monitor?resolved=false&kind=upstream-error');
    expect(open.body.items).toHaveLength(0);
  });

  test('dead letters are requeued with the attempt count reset, bounded per call', async () => {
    const ch = await raw.createConfirmChannel();
    for (const id of ['d1', 'd2'])
      ch.publish(Exchanges.dead, 'import', Buffer.from(JSON.stringify({ id })), {
        persistent: true,
        headers: { [Headers.attempt]: 5, [Headers.deadReason]: 'gave up' },
      });
    await ch.waitForConfirms();
    const before = await h.json('viewer', 'GET', '/api/v1/queues');
    expect(before.body.stages.map((s: { stage: string }) => s.stage)).toEqual(['fetch', 'combine', 'import']);
    expect((await h.json('viewer', 'POST', '/api/v1/queues/import/dead-letter/requeue', { max: 1 })).status).toBe(403);
    expect((await h.json('operator', 'POST', '/api/v1/queues/nope/dead-letter/requeue', {})).status).toBe(400);
    const r = await h.json('operator', 'POST', '/api/v1/queues/import/dead-letter/requeue', { max: 1 });
    expect(r.body).toEqual({ stage: 'import', requeued: 1, left: 1 });
    const m = await ch.get(Queues.work('import'), { noAck: true });
    expect(m && m.properties.headers?.[Headers.attempt]).toBe(0);
    expect(m && m.properties.headers?.[Headers.deadReason]).toBeUndefined();
    await ch.close();
  });

  test('/cluster outside a cluster', async () => {
    const r = await h.json('viewer', 'GET', '/api/v1/cluster');
    expect(r.body).toMatchObject({ inCluster: false });
  });
});

describe('OpenAPI, dashboard, ops endpoints', () => {
  test('the document parses and lists every route', async () => {
    const res = await h.call(null, 'GET', '/api/v1/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    for (const want of [
      'post /fetch/range', 'post /fetch/missing', 'post /recombine', 'get /jobs', 'get /jobs/{id}', 'get /jobs/{id}/events',
      'post /jobs/{id}/retry-failed', 'post /jobs/{id}/cancel', 'get /partitions', 'get /coverage', 'post /missing/scan',
      'post /partitions/{id}/known-empty', 'get /transactions', 'get /export/legacy', 'get /export/transactions.csv',
      'get /reports/sales', 'get /files', 'get /files/{id}/raw', 'post /uploads', 'get /monitor', 'post /monitor/{id}/resolve',
      'get /queues', 'post /queues/{stage}/dead-letter/requeue', 'get /cluster', 'get /me',
    ])
      expect(listed).toContain(want);
    expect(listed).toHaveLength(25);
    const range = doc.paths['/fetch/range']?.post as { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } };
    expect(Object.keys(range.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['from', 'to', 'force']));
  });
  test('dashboard at / with SPA fallback; ops endpoints are not on the public port; unknown API paths are JSON 404s', async () => {
    const home = await h.call(null, 'GET', '/');
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    expect(home.headers.get('cache-control')).toBe('no-cache');
    expect(await (await h.call(null, 'GET', '/jobs/123')).text()).toContain('<title>posflow</title>');
    for (const p of ['/metrics', '/healthz', '/readyz']) expect((await h.call(null, 'GET', p)).status).toBe(404);
    const nope = await h.json('viewer', 'GET', '/api/v1/nope');
    expect(nope.status).toBe(404);
    expect(nope.body.error.code).toBe('not_found');
  });
});
