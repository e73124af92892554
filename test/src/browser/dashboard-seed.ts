import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import {
  Collections,
  dateRange,
  partitionId,
  type Daypart,
  type FileRecordDoc,
  type JobDoc,
  type MonitorDoc,
  type PartitionDoc,
  type PartitionStatus,
  type RollupDimension,
  type RollupDoc,
  type TransactionDoc,
} from '@posflow/contracts';
import { createRng, type Rng } from '@posflow/synth';

/**
 * A small, deterministic world for the dashboard's browser test, written
 * straight into the collections the gateway reads: partitions in every
 * status, loaded rows with their rollups (this January and last January, for
 * the year-on-year chart), jobs, monitor entries and two raw files.
 */
export const SEED = Object.freeze({
  branches: ['ALPHA', 'BRAVO', 'CHARLIE'],
  pos: [1, 2],
  month: '2026-01',
  loaded: { from: '2026-01-01', to: '2026-01-14' },
  lastYear: { from: '2025-01-01', to: '2025-01-14' },
  /** A loaded partition with stored raw files. */
  withFiles: { branch: 'ALPHA', pos: 1, date: '2026-01-05' },
  failed: { branch: 'BRAVO', pos: 2, date: '2026-01-07' },
  empty: { branch: 'CHARLIE', pos: 2, date: '2026-01-03' },
  stale: { branch: 'CHARLIE', pos: 1, date: '2026-01-10' },
  working: { branch: 'BRAVO', pos: 1, date: '2026-01-15' },
  linesPerPartition: 24,
});

const PRODUCTS = [
  { name: 'CHICKEN BBQ MEAL', dept: 'MEALS', category: 'Chicken', price: 1890000 },
  { name: 'PORK SISIG', dept: 'MEALS', category: 'Pork', price: 1650000 },
  { name: 'SPAGHETTI', dept: 'PASTA', category: 'Pasta', price: 1200000 },
  { name: 'ICED TEA', dept: 'BEVERAGES', category: 'Drinks', price: 650000 },
  { name: 'HALO-HALO', dept: 'DESSERTS', category: 'Dessert', price: 950000 },
  { name: 'BEEF TAPA', dept: 'MEALS', category: 'Beef', price: 1750000 },
  { name: 'COFFEE', dept: 'BEVERAGES', category: 'Drinks', price: 550000 },
] as const;
const PAYMENTS = ['CASH', 'GCASH', 'CARD'] as const;
const HOURS = [7, 8, 11, 12, 13, 15, 18, 19, 20];

function daypartOf(hour: number): Daypart {
  if (hour >= 6 && hour <= 10) return 'Breakfast';
  if (hour >= 11 && hour <= 14) return 'Lunch';
  if (hour >= 15 && hour <= 17) return 'PM Snack';
  if (hour >= 18 && hour <= 22) return 'Dinner';
  return 'GY';
}

type Row = Omit<TransactionDoc, '_id' | 'pg' | 'generation' | 'partitionId' | 'dateAt'>;

/** The lines of one loaded partition: receipts of 1–3 items, now and then a modifier line. */
function partitionRows(branch: string, pos: number, date: string, rng: Rng): Row[] {
  const d = new Date(`${date}T00:00:00Z`);
  const rows: Row[] = [];
  let receipt = 1000 + pos * 100;
  while (rows.length < SEED.linesPerPartition) {
    receipt++;
    const hour = rng.pick(HOURS);
    const time = `${String(hour).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
    const payment = rng.pick(PAYMENTS);
    const items = rng.int(1, 3);
    for (let i = 0; i < items && rows.length < SEED.linesPerPartition; i++) {
      const p = rng.pick(PRODUCTS);
      const qty = rng.int(1, 3);
      const modifier = i > 0 && rng.chance(0.1);
      const amount = modifier ? 0 : p.price * qty;
      const line = rows.length + 2;
      rows.push({
        line,
        legacy: [
          pos,
          receipt,
          `IC${p.name.length}`,
          qty,
          p.price / 1e4,
          amount / 1e4,
          0,
          p.dept.slice(0, 3),
          date,
          time,
          '',
          '',
          'V',
          '',
          '',
          '',
          '',
          `T${receipt}`,
          modifier ? 'NO ICE' : p.name,
          p.dept,
          '',
          'Dine-In',
          daypartOf(hour),
          payment.slice(0, 2),
          payment,
          '',
          branch,
        ].join(','),
        branch,
        branchName: `${branch} Branch`,
        pos,
        date,
        time,
        hour,
        daypart: daypartOf(hour),
        weekday: d.getUTCDay(),
        month: d.getUTCMonth() + 1,
        year: d.getUTCFullYear(),
        receiptNo: String(receipt),
        transNo: `T${receipt}`,
        itemCode: modifier ? 'MOD1' : `IC${p.name.length}`,
        productName: modifier ? 'NO ICE' : p.name,
        productClean: modifier ? 'NO ICE' : p.name,
        productCombined: modifier ? 'NO ICE' : p.name,
        category: modifier ? 'Modifier' : p.category,
        departmentCode: p.dept.slice(0, 3),
        departmentName: p.dept,
        departmentClean: p.dept,
        quantity: qty,
        unitPriceE4: modifier ? 0 : p.price,
        amountE4: amount,
        discountE4: 0,
        vatFlag: 'V',
        vatDiv: '',
        vatAmountE4: null,
        vatDiscountE4: null,
        vatPriceE4: null,
        discountCode: '',
        discountName: '',
        typeCode: '',
        transactionType: 'Dine-In',
        paymentCode: payment.slice(0, 2),
        paymentName: payment,
        phone: '',
        isModifier: modifier,
      });
    }
  }
  return rows;
}

const DIM_KEY: Record<RollupDimension, (r: Row) => string> = {
  day: (r) => r.date,
  hour: (r) => (r.hour === null ? '' : String(r.hour)),
  daypart: (r) => r.daypart,
  department: (r) => r.departmentClean,
  product: (r) => r.productClean,
  category: (r) => r.category,
  payment: (r) => r.paymentName,
  discount: (r) => r.discountName,
};

/** Rollups of one partition generation, as the importer writes them. */
function rollupsOf(pid: string, generation: number, rows: readonly Row[]): RollupDoc[] {
  const out: RollupDoc[] = [];
  const first = rows[0];
  if (!first) return out;
  for (const scope of ['all', 'products'] as const) {
    const scoped = scope === 'all' ? rows : rows.filter((r) => !r.isModifier);
    for (const dim of Object.keys(DIM_KEY) as RollupDimension[]) {
      const groups = new Map<
        string,
        { salesE4: number; quantity: number; lines: number; receipts: Set<string> }
      >();
      for (const r of scoped) {
        const key = DIM_KEY[dim](r);
        const g = groups.get(key) ?? { salesE4: 0, quantity: 0, lines: 0, receipts: new Set<string>() };
        g.salesE4 += r.amountE4 ?? 0;
        g.quantity += r.quantity ?? 0;
        g.lines++;
        g.receipts.add(r.receiptNo);
        groups.set(key, g);
      }
      for (const [key, g] of groups)
        out.push({
          _id: `${pid}#${generation}|${dim}|${scope}|${key}`,
          partitionId: pid,
          generation,
          pg: `${pid}#${generation}`,
          branch: first.branch,
          pos: first.pos,
          date: first.date,
          year: first.year,
          month: first.month,
          weekday: first.weekday,
          dim,
          key,
          scope,
          salesE4: g.salesE4,
          discountE4: 0,
          quantity: g.quantity,
          lines: g.lines,
          receipts: g.receipts.size,
        });
    }
  }
  return out;
}

function partitionDoc(
  key: { branch: string; pos: number; date: string },
  status: PartitionStatus,
  extra: Partial<PartitionDoc> = {},
): PartitionDoc {
  const now = new Date();
  return {
    _id: partitionId(key),
    ...key,
    status,
    generation: 0,
    claimedGeneration: 0,
    files: 0,
    rowsLoaded: 0,
    rowsDropped: 0,
    jobIds: [],
    at: { [status]: now },
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
}

export interface SeedFacts {
  /** Totals of the loaded range this year (all lines), to check what the UI shows. */
  salesE4: number;
  receipts: number;
  lines: number;
  jobIds: { succeeded: string; partial: string };
  rawFileNames: string[];
}

export async function seedDashboard(db: Db): Promise<SeedFacts> {
  const rng = createRng('dashboard-seed');
  const partitions: PartitionDoc[] = [];
  const transactions: TransactionDoc[] = [];
  const rollups: RollupDoc[] = [];
  const facts: SeedFacts = {
    salesE4: 0,
    receipts: 0,
    lines: 0,
    jobIds: { succeeded: 'seed-job-succeeded', partial: 'seed-job-partial' },
    rawFileNames: [],
  };
  const special = new Set([SEED.failed, SEED.empty, SEED.stale].map(partitionId));
  const load = (key: { branch: string; pos: number; date: string }, jobId: string, thisYear: boolean) => {
    const pid = partitionId(key);
    const rows = partitionRows(key.branch, key.pos, key.date, rng);
    partitions.push(
      partitionDoc(key, 'loaded', {
        generation: 1,
        claimedGeneration: 1,
        files: 7,
        rowsLoaded: rows.length,
        jobIds: [jobId],
        sourceHash: 'seed',
      }),
    );
    rollups.push(...rollupsOf(pid, 1, rows));
    if (!thisYear) return;
    facts.lines += rows.length;
    facts.salesE4 += rows.reduce((s, r) => s + (r.amountE4 ?? 0), 0);
    facts.receipts += new Set(rows.map((r) => r.receiptNo)).size;
    for (const r of rows)
      transactions.push({
        ...r,
        _id: `${pid}|${r.line}|1`,
        partitionId: pid,
        generation: 1,
        pg: `${pid}#1`,
        dateAt: new Date(`${r.date}T00:00:00Z`),
      });
  };
  for (const branch of SEED.branches)
    for (const pos of SEED.pos) {
      for (const date of dateRange(SEED.loaded.from, SEED.loaded.to)) {
        const key = { branch, pos, date };
        if (!special.has(partitionId(key))) load(key, facts.jobIds.succeeded, true);
      }
      for (const date of dateRange(SEED.lastYear.from, SEED.lastYear.to))
        load({ branch, pos, date }, 'seed-job-last-year', false);
    }
  const failedAt = new Date();
  partitions.push(
    partitionDoc(SEED.failed, 'failed', {
      jobIds: [facts.jobIds.partial],
      failure: {
        stage: 'fetch',
        reason: 'upstream answered HTTP 500 three times',
        attempts: 5,
        at: failedAt,
      },
    }),
    partitionDoc(SEED.empty, 'empty', { jobIds: [facts.jobIds.partial], knownEmpty: true }),
    partitionDoc(SEED.stale, 'stale', { generation: 0, files: 7 }),
    partitionDoc(SEED.working, 'combining', { files: 7 }),
  );
  await db.collection<PartitionDoc>(Collections.partitions).insertMany(partitions);
  await db.collection<TransactionDoc>(Collections.transactions).insertMany(transactions);
  await db.collection<RollupDoc>(Collections.rollups).insertMany(rollups);
  await db.collection<JobDoc>(Collections.jobs).insertMany(seedJobs(partitions, facts));
  await db.collection<MonitorDoc>(Collections.monitor).insertMany(seedMonitor());
  facts.rawFileNames = await seedRawFiles(db);
  return facts;
}

/** `count` more branches (`EXTRA-01`…) with a loaded partition on every day and POS of the seed month. */
export async function seedExtraBranches(db: Db, count: number): Promise<string[]> {
  const branches = Array.from({ length: count }, (_, i) => `EXTRA-${String(i + 1).padStart(2, '0')}`);
  const [y, m] = SEED.month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const docs = branches.flatMap((branch) =>
    SEED.pos.flatMap((pos) =>
      dateRange(`${SEED.month}-01`, last).map((date) =>
        partitionDoc({ branch, pos, date }, 'loaded', {
          generation: 1,
          claimedGeneration: 1,
          files: 7,
          rowsLoaded: 500,
        }),
      ),
    ),
  );
  if (docs.length > 0) await db.collection<PartitionDoc>(Collections.partitions).insertMany(docs);
  return branches;
}

function seedJobs(partitions: readonly PartitionDoc[], facts: SeedFacts): JobDoc[] {
  const of = (id: string) => partitions.filter((p) => p.jobIds.includes(id)).map((p) => p._id);
  const t = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  const ok = of(facts.jobIds.succeeded);
  const partial = of(facts.jobIds.partial);
  return [
    {
      _id: facts.jobIds.succeeded,
      kind: 'range',
      status: 'succeeded',
      request: {
        from: SEED.loaded.from,
        to: SEED.loaded.to,
        branches: SEED.branches,
        pos: SEED.pos,
        branchesCovered: SEED.branches,
      },
      partitions: ok,
      total: ok.length,
      createdBy: 'local-admin',
      createdAt: t(120),
      startedAt: t(120),
      finishedAt: t(100),
    },
    {
      _id: facts.jobIds.partial,
      kind: 'missing',
      status: 'partial',
      request: {
        branches_missing: { BRAVO: { '2': [SEED.failed.date] }, CHARLIE: { '2': [SEED.empty.date] } },
        branchesCovered: ['BRAVO', 'CHARLIE'],
      },
      partitions: partial,
      total: partial.length,
      createdBy: 'local-admin',
      createdAt: t(60),
      startedAt: t(60),
      finishedAt: t(55),
    },
  ];
}

function seedMonitor(): MonitorDoc[] {
  const now = new Date();
  const entry = (
    id: string,
    kind: MonitorDoc['kind'],
    key: { branch: string; pos: number; date: string },
    detail: string,
    extra: Partial<MonitorDoc> = {},
  ): MonitorDoc => ({
    _id: id,
    ...key,
    kind,
    key: kind,
    detail,
    count: 1,
    firstSeen: now,
    lastSeen: now,
    resolved: false,
    ...extra,
  });
  return [
    entry('mon-dropped', 'dropped-rows', SEED.withFiles, '3 rows dropped: date-mismatch', {
      count: 3,
      samples: [{ line: 41, raw: '1,1042,IC9,1,65,65,0,BEV,2026-01-04,23:58,,,V', reason: 'date-mismatch' }],
    }),
    entry('mon-upstream', 'upstream-error', SEED.failed, 'upstream answered HTTP 500 (list)', { count: 5 }),
    entry(
      'mon-missing',
      'missing-file-type',
      { branch: 'CHARLIE', pos: 1, date: '2026-01-08' },
      'no rd5800 file for this day',
    ),
  ];
}

/** Two raw files of `SEED.withFiles` in GridFS with their FileRecords, for the download links. */
async function seedRawFiles(db: Db): Promise<string[]> {
  const bucket = new GridFSBucket(db, { bucketName: Collections.rawBucket });
  const { branch, pos, date } = SEED.withFiles;
  const files = [
    { type: 'rd5000', body: 'POS,OR,ITEM CODE\n1,1001,IC16\n1,1001,IC9\n' },
    { type: 'rd5800', body: 'POS,OR,PAYMENT\n1,1001,CASH\n' },
  ] as const;
  const names: string[] = [];
  for (const f of files) {
    const name = `a_${branch}_${pos}_${f.type}_${date}_21-05_.csv`;
    const id = new ObjectId();
    await pipeline(Readable.from([Buffer.from(f.body)]), bucket.openUploadStreamWithId(id, name));
    const rec: FileRecordDoc = {
      _id: `${partitionId(SEED.withFiles)}|${f.type}|21-05`,
      branch,
      pos,
      date,
      type: f.type as FileRecordDoc['type'],
      upstreamPath: `exports/${name}`,
      name,
      sendTime: '21-05',
      size: Buffer.byteLength(f.body),
      dataRows: f.body.trim().split('\n').length - 1,
      sha256: createHash('sha256').update(f.body).digest('hex'),
      gridfsId: id.toHexString(),
      source: 'upstream',
      fetchedAt: new Date(),
      status: 'chosen',
    };
    await db.collection<FileRecordDoc>(Collections.filerecords).insertOne(rec);
    names.push(name);
  }
  return names;
}
