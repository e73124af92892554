import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import {
  Collections,
  dateRange,
  partitionId,
  type FileRecordDoc,
  type JobDoc,
  type MonitorDoc,
  type PartitionDoc,
  type PartitionStatus,
  type RollupDoc,
  type TransactionDoc,
} from '@posflow/contracts';
import { createRng } from '@posflow/synth';
import { SalesSummariesWriter, newPartitionFields } from '@posflow/dal';
import { partitionRows, rollupsOf } from './dashboard-seed.rows.js';

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

function partitionDoc(
  key: { branch: string; pos: number; date: string },
  status: PartitionStatus,
  extra: Partial<PartitionDoc> = {},
): PartitionDoc {
  const now = new Date();
  return {
    ...newPartitionFields(key, now),
    _id: partitionId(key),
    status,
    at: { [status]: now },
    updatedAt: now,
    ...extra,
  } as PartitionDoc;
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
    const rows = partitionRows(key.branch, key.pos, key.date, rng, SEED.linesPerPartition);
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
  await new SalesSummariesWriter(db).insertFromRollups(rollups);
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
