// Load benchmark of the gateway's read API (loopback only, bounded in count and time):
// GET /transactions and GET /reports/sales over synthetic loaded data seeded straight
// into the database (rows + rollups + partitions, as the importer writes them), served
// by the real gateway process (services/gateway/dist/main.js).
// Size by env (CI runs it small): GW_BENCH_BRANCHES (30), GW_BENCH_DAYS (405: all of 2025 and the last 365 days), GW_BENCH_KEEP_DB=1 keeps the seeded database,
// GW_BENCH_ROWS (rows per partition, 150), GW_BENCH_ROW_DAYS (last days also seeded as rows and rollups, 30;
// every day gets its sales summaries; month and day summaries are rebuilt from dirty marks by dal, as the
// importer does), GW_BENCH_REQUESTS (per endpoint, 400),
// GW_BENCH_CONCURRENCY (8), GW_BENCH_MAX_SECONDS (per endpoint, 60),
// BENCH_MONGO_BASE (mongodb://127.0.0.1:27017).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb';
import type { RollupDoc } from '@posflow/contracts';
import { SalesSummariesWriter } from '@posflow/dal';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const BRANCHES = env('GW_BENCH_BRANCHES', 30);
const DAYS = env('GW_BENCH_DAYS', 405);
const ROWS = env('GW_BENCH_ROWS', 150);
/** Days (ending on the last day) whose rows and rollups are loaded too; reports read the summaries of every day. */
const ROW_DAYS = Math.min(env('GW_BENCH_ROW_DAYS', 30), DAYS);
const REQUESTS = env('GW_BENCH_REQUESTS', 400);
const CONCURRENCY = env('GW_BENCH_CONCURRENCY', 8);
const MAX_MS = env('GW_BENCH_MAX_SECONDS', 60) * 1000;
const MONGO_BASE = process.env.BENCH_MONGO_BASE ?? 'mongodb://127.0.0.1:27017';
const KEY = 'gateway-bench-key-0000000001';
const DB = `posflow_gwbench_${Date.now().toString(36)}`;
const PRODUCTS = Array.from({ length: 60 }, (_, i) => `PRODUCT ${String(i).padStart(2, '0')}`);
const DEPTS = ['CHICKEN MEALS', 'PASTA DISHES', 'DRINKS', 'DESSERTS', 'SIDES'];
const PAYMENTS = ['CASH', 'GCASH', 'CARD', 'GLOBAL PAY'];
const DAYPART = (h: number) => (h <= 5 || h >= 23 ? 'GY' : h <= 10 ? 'Breakfast' : h <= 14 ? 'Lunch' : h <= 18 ? 'PM Snack' : 'Dinner');

let seed = 42;
const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)] as T;
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const LAST_DAY = '2026-02-09';
const FIRST_DAY = addDays(LAST_DAY, -(DAYS - 1));

function partitionData(branch: string, pos: number, date: string) {
  const pid = `${branch}_${pos}_${date}`;
  const pg = `${pid}#1`;
  const d = new Date(`${date}T00:00:00Z`);
  const rows: Document[] = [];
  const roll = new Map<string, Document & { set: Set<string> }>();
  for (let line = 2; line < ROWS + 2; line++) {
    const hour = 7 + Math.floor(rnd() * 15);
    const receipt = `R${Math.floor(line / 3)}`;
    const product = pick(PRODUCTS);
    const dept = pick(DEPTS);
    const payment = pick(PAYMENTS);
    const amount = (50 + Math.floor(rnd() * 400)) * 10_000;
    const r = {
      _id: `${pg}:${line}`, partitionId: pid, generation: 1, pg, dateAt: d, line, legacy: `1,${receipt},X,1,${amount},,${branch}`,
      branch, branchName: branch, pos, date, time: `${String(hour).padStart(2, '0')}:${String(line % 60).padStart(2, '0')}`,
      hour, daypart: DAYPART(hour), weekday: d.getUTCDay(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear(),
      receiptNo: receipt, transNo: `T${line}`, itemCode: product.slice(-2), productName: product, productClean: product,
      productCombined: product, category: dept, departmentCode: '01', departmentName: dept, departmentClean: dept,
      quantity: 1, unitPriceE4: amount, amountE4: amount, discountE4: 0, vatFlag: '1', vatDiv: '', vatAmountE4: 0,
      vatDiscountE4: 0, vatPriceE4: 0, discountCode: '', discountName: '', typeCode: 'D', transactionType: 'Dine-In',
      paymentCode: '1', paymentName: payment, phone: '', isModifier: false,
    };
    rows.push(r);
    const keys: Record<string, string> = { day: date, hour: String(hour), daypart: r.daypart, department: dept, product, category: dept, payment, discount: '' };
    for (const [dim, key] of Object.entries(keys))
      for (const scope of ['all', 'products']) {
        const id = `${pg}:${dim}:${scope}:${key}`;
        let doc = roll.get(id);
        if (!doc) {
          doc = { _id: id, partitionId: pid, generation: 1, pg, branch, pos, date, year: r.year, month: r.month, weekday: r.weekday, dim, key, scope, salesE4: 0, discountE4: 0, quantity: 0, lines: 0, receipts: 0, set: new Set() };
          roll.set(id, doc);
        }
        doc.salesE4 += amount;
        doc.quantity += 1;
        doc.lines += 1;
        doc.set.add(receipt);
        doc.receipts = doc.set.size;
      }
  }
  const now = new Date();
  const partition = { _id: pid, branch, pos, date, status: 'loaded', generation: 1, claimedGeneration: 1, files: 7, rowsLoaded: ROWS, rowsDropped: 0, jobIds: [], at: {}, createdAt: now, updatedAt: now };
  return { rows, rollups: [...roll.values()].map(({ set: _s, ...r }) => r), partition };
}

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(name: string, url: () => string) {
  const lat: number[] = [];
  let errors = 0;
  let issued = 0;
  const start = performance.now();
  const worker = async () => {
    while (issued < REQUESTS && performance.now() - start < MAX_MS) {
      issued++;
      const t = performance.now();
      const res = await fetch(url(), { headers: { authorization: `Bearer ${KEY}` } });
      await res.arrayBuffer();
      if (!res.ok) errors++;
      lat.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const secs = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { name, n: lat.length, errors, p50: pct(lat, 50), p99: pct(lat, 99), rps: lat.length / secs };
}

const client = await new MongoClient(`${MONGO_BASE}/${DB}`).connect();
const db = client.db();
const refDir = mkdtempSync(join(tmpdir(), 'gwbench-'));
let child: ReturnType<typeof spawn> | undefined;
try {
  const branches = Array.from({ length: BRANCHES }, (_, i) => `BR${String(i).padStart(2, '0')}`);
  writeFileSync(join(refDir, 'branches.txt'), branches.join('\n') + '\n');
  writeFileSync(join(refDir, 'aaa_headers.csv'), 'POS,OR,ITEM CODE,BRANCH');

  const seedStart = performance.now();
  let rowCount = 0;
  let rollupCount = 0;
  const summaries = new SalesSummariesWriter(db);
  const months = new Set<string>();
  let summaryCount = 0;
  let summarisedRows = 0;
  const pending: { rows: Document[]; rollups: Document[]; partitions: Document[]; summaries: Document[] } = { rows: [], rollups: [], partitions: [], summaries: [] };
  const flush = async () => {
    const ops = (docs: Document[]): AnyBulkWriteOperation[] => docs.map((d) => ({ insertOne: { document: d } }));
    if (pending.rows.length) await db.collection('transactions').bulkWrite(ops(pending.rows), { ordered: false });
    if (pending.rollups.length) await db.collection('rollups').bulkWrite(ops(pending.rollups), { ordered: false });
    if (pending.summaries.length) await db.collection('partitionsummaries').bulkWrite(ops(pending.summaries), { ordered: false });
    if (pending.partitions.length) await db.collection('partitions').bulkWrite(ops(pending.partitions), { ordered: false });
    pending.rows = [];
    pending.rollups = [];
    pending.partitions = [];
    pending.summaries = [];
  };
  const rowsFrom = addDays(LAST_DAY, -(ROW_DAYS - 1));
  for (let i = 0; i < DAYS; i++) {
    const date = addDays(FIRST_DAY, i);
    for (const b of branches)
      for (const pos of [1, 2]) {
        const p = partitionData(b, pos, date);
        // every day gets its sales summaries (what reports read); rows and rollups only the last ROW_DAYS
        const packed = SalesSummariesWriter.partitionDocs({ branch: b, pos, date }, 1, p.rollups as unknown as RollupDoc[]);
        pending.summaries.push(...packed);
        summaryCount += packed.length;
        summarisedRows += p.rows.length;
        months.add(`${b}|${date.slice(0, 7)}`);
        if (date >= rowsFrom) {
          pending.rows.push(...p.rows);
          pending.rollups.push(...p.rollups);
          rowCount += p.rows.length;
          rollupCount += p.rollups.length;
        }
        pending.partitions.push(p.partition);
        if (pending.rows.length + pending.summaries.length >= 20_000) await flush();
      }
  }
  await flush();
  // as the importer: each load marks its month dirty, and the rebuild loop's call rebuilds every dirty month
  const rebuildStart = performance.now();
  for (const m of months) {
    const [b, ym] = m.split('|') as [string, string];
    await summaries.markMonthDirty(b, ym, `${b}_1_${ym}-01#1`);
  }
  await summaries.rebuildDirtyMonths();
  const rebuildSecs = (performance.now() - rebuildStart) / 1000;
  const seedSecs = (performance.now() - seedStart) / 1000;

  const startAt = performance.now();
  const port = await freePort();
  const opsPort = await freePort();
  child = spawn(process.execPath, [join(ROOT, 'services/gateway/dist/main.js')], {
    env: {
      ...process.env,
      MONGO_URL: `${MONGO_BASE}/${DB}`,
      AMQP_URL: process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/',
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      OPS_PORT: String(opsPort),
      OPS_HOST: '127.0.0.1',
      REFERENCE_DIR: refDir,
      POSFLOW_API_KEY: KEY,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/openapi.json`)).ok) break;
    } catch {
      // not up yet (it creates its indexes first)
    }
    if (i > 1200) throw new Error('gateway did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  const startupSecs = (performance.now() - startAt) / 1000;

  const monthAgo = addDays(LAST_DAY, -29);
  const yearAgo = addDays(LAST_DAY, -364);
  const calendarYear = FIRST_DAY <= '2025-01-01' ? ['2025-01-01', '2025-12-31'] : [yearAgo, LAST_DAY];
  const groups = ['day', 'product', 'hour', 'daypart', 'branch', 'weekday'];
  const results = [
    await load('GET /transactions (last 365 days, newest 100, all branches)', () => `${base}/transactions?from=${yearAgo}&to=${LAST_DAY}&limit=100`),
    await load('GET /transactions (last 365 days, one branch, product filter)', () => `${base}/transactions?from=${yearAgo}&to=${LAST_DAY}&branch=${pick(branches)}&product=${encodeURIComponent(pick(PRODUCTS))}&limit=100`),
    await load(`GET /reports/sales (one day ${LAST_DAY}, all branches)`, () => `${base}/reports/sales?from=${LAST_DAY}&to=${LAST_DAY}&groupBy=${pick(groups)}`),
    await load('GET /reports/sales (30 days, all branches)', () => `${base}/reports/sales?from=${monthAgo}&to=${LAST_DAY}&groupBy=${pick(groups)}`),
    await load(`GET /reports/sales (${calendarYear[0]}..${calendarYear[1]}, all branches)`, () => `${base}/reports/sales?from=${calendarYear[0]}&to=${calendarYear[1]}&groupBy=${pick(groups)}`),
    await load(`GET /reports/sales (${calendarYear[0]}..${calendarYear[1]}, all branches, by product, vs previous year)`, () => `${base}/reports/sales?from=${calendarYear[0]}&to=${calendarYear[1]}&groupBy=product&compare=previous-year`),
    await load(`GET /reports/sales (last 365 days ${yearAgo}..${LAST_DAY}, all branches)`, () => `${base}/reports/sales?from=${yearAgo}&to=${LAST_DAY}&groupBy=${pick(groups)}`),
    await load(`GET /reports/sales (last 365 days, one branch)`, () => `${base}/reports/sales?from=${yearAgo}&to=${LAST_DAY}&groupBy=${pick(groups)}&branch=${pick(branches)}`),
  ];
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const gwHwmMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;

  const lines = [
    '## Gateway',
    '',
    `Data: ${BRANCHES} branches × POS 1-2 × ${DAYS} days (${FIRST_DAY}..${LAST_DAY}) × ${ROWS} rows = ${summarisedRows.toLocaleString('en')} rows summarised in ${summaryCount.toLocaleString('en')} partition summaries, ${months.size * 8} month summaries and ${months.size * 8} day summaries; the last ${ROW_DAYS} days also as ${rowCount.toLocaleString('en')} transactions and ${rollupCount.toLocaleString('en')} rollups. Seeded in ${seedSecs.toFixed(0)} s on ${MONGO_BASE} (of which ${rebuildSecs.toFixed(0)} s rebuilding ${months.size} branch-months' summaries from their dirty marks).`,
    `Load: ${REQUESTS} requests per line (or ${MAX_MS / 1000} s), ${CONCURRENCY} concurrent, loopback; gateway start (incl. building its read indexes on the seeded data) ${startupSecs.toFixed(0)} s.`,
    '',
    '| endpoint | requests | errors | p50 ms | p99 ms | req/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.name} | ${r.n} | ${r.errors} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps.toFixed(1)} |`),
    '',
    `Peak RSS: gateway process ${gwHwmMb.toFixed(0)} MB (VmHWM), bench process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`,
  ];
  console.log(lines.join('\n'));
} finally {
  child?.kill('SIGTERM');
  if (process.env.GW_BENCH_KEEP_DB !== '1') await db.dropDatabase().catch(() => undefined);
  else console.error(`kept database ${DB}`);
  await client.close();
  rmSync(refDir, { recursive: true, force: true });
}
