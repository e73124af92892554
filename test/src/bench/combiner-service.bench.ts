// Combiner service figures: the real process (`node services/combiner/dist/main.js`)
// combining one partition whose rd5000 is the BMC_1_2026-02-09 fixture's data
// lines repeated up to BENCH_COMBINER_SIZES bytes, read from GridFS and
// written back as the gzip NDJSON artifact. A fresh process per size, so each
// peak RSS (VmHWM of the child) is that size's own: it should not grow with
// the partition. Prints a Markdown section.
//   BENCH_COMBINER_SIZES  comma-separated rd5000 sizes in bytes (default 1x fixture, 32 MiB, 128 MiB)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, type Db } from 'mongodb';
import { Collections, FILE_TYPES, parseExportFileName, type FileType } from '@posflow/contracts';
import { AmqpClient, DEFAULT_RETRY_DELAYS_MS, FileStore, createLogger, makeMessage } from '@posflow/runtime';
import { createTestVhost, testMongoUrl } from '@posflow/runtime/testing';
import { REPO_ROOT, SHARED_FIXTURES, ServiceProcess, freePort } from '../support/processes.js';

const GROUP = { branch: 'BMC', pos: 1, date: '2026-02-09' };
const GROUP_ID = 'BMC_1_2026-02-09';
const POS_EXPORTS = join(SHARED_FIXTURES, 'pos-exports');
const SIZES = (process.env.BENCH_COMBINER_SIZES ?? `0,${32 * 1024 ** 2},${128 * 1024 ** 2}`)
  .split(',')
  .map(Number);

interface Result {
  rd5000Bytes: number;
  rows: number;
  ms: number;
  artifactBytes: number;
  peakRssMb: number;
}

function groupFiles(): Array<{ name: string; type: FileType; bytes: Buffer }> {
  return readdirSync(POS_EXPORTS)
    .map((name) => ({ name, parsed: parseExportFileName(name) }))
    .filter((f) => f.parsed && `${f.parsed.branch}_${f.parsed.pos}_${f.parsed.date}` === GROUP_ID)
    .map((f) => ({ name: f.name, type: f.parsed!.type, bytes: readFileSync(join(POS_EXPORTS, f.name)) }));
}

/** The fixture's header, then its data lines repeated until `target` bytes (0: the fixture as is). */
function* scaled(bytes: Buffer, target: number): Generator<Buffer> {
  const text = bytes.toString('utf8');
  const nl = text.indexOf('\n');
  const header = text.slice(0, nl + 1);
  const body = Buffer.from(text.slice(nl + 1));
  yield Buffer.from(header);
  let written = header.length;
  do {
    yield body;
    written += body.length;
  } while (written < target);
}

async function seed(db: Db, rd5000Bytes: number): Promise<{ bytes: number; rows: number }> {
  const store = new FileStore(db, Collections.rawBucket);
  const now = new Date();
  let rd5000 = { bytes: 0, rows: 0 };
  for (const f of groupFiles()) {
    const chunks = f.type === 'rd5000' ? scaled(f.bytes, rd5000Bytes) : [f.bytes];
    let lines = 0;
    const counted = Readable.from(
      (function* () {
        for (const c of chunks) {
          for (const b of c) if (b === 0x0a) lines++;
          yield c;
        }
      })(),
    );
    const stored = await store.upload(f.name, counted, {});
    if (f.type === 'rd5000') rd5000 = { bytes: stored.size, rows: lines - 1 };
    await db.collection(Collections.filerecords).insertOne({
      _id: `${GROUP_ID}:${f.name}:${stored.sha256.slice(0, 16)}`,
      ...GROUP,
      type: f.type,
      upstreamPath: f.name,
      name: f.name,
      sendTime: '20-00',
      size: stored.size,
      dataRows: lines - 1,
      sha256: stored.sha256,
      gridfsId: stored.id.toHexString(),
      source: 'upstream',
      fetchedAt: now,
      status: 'chosen',
    } as never);
  }
  await db.collection(Collections.partitions).insertOne({
    _id: GROUP_ID,
    ...GROUP,
    status: 'fetched',
    generation: 0,
    claimedGeneration: 0,
    files: FILE_TYPES.length,
    rowsLoaded: 0,
    rowsDropped: 0,
    jobIds: [],
    at: { fetched: now },
    createdAt: now,
    updatedAt: now,
  } as never);
  return rd5000;
}

async function measure(target: number): Promise<Result> {
  const vhost = await createTestVhost('posflow-bench-combiner');
  const { url } = testMongoUrl('posflow_bench_combiner');
  const client = await new MongoClient(url).connect();
  const db = client.db();
  const logger = createLogger('bench', 'silent');
  const proc = new ServiceProcess(
    'combiner-bench',
    'services/combiner/dist/main.js',
    {
      AMQP_URL: vhost.amqpUrl,
      MONGO_URL: url,
      LOG_LEVEL: 'warn',
      REFERENCE_DIR: join(SHARED_FIXTURES, 'reference'),
      TMP_DIR: join(REPO_ROOT, '.posflow', 'tmp', 'combiner-bench'),
    },
    await freePort(),
  );
  const amqp = new AmqpClient({
    url: vhost.amqpUrl,
    logger,
    connectionName: 'bench',
    topology: { retryDelaysMs: DEFAULT_RETRY_DELAYS_MS, deliveryLimit: 5 },
  });
  try {
    const rd5000 = await seed(db, target);
    await proc.start();
    await amqp.start();
    const started = Date.now();
    await amqp.publish(
      'combine',
      makeMessage('combine.requested', 1, { partition: GROUP, reason: 'fetched' }),
    );
    let peakKb = 0;
    for (;;) {
      peakKb = Math.max(peakKb, proc.peakRssKb() ?? 0);
      const doc = await db.collection(Collections.partitions).findOne({ _id: GROUP_ID as never });
      if (doc?.status === 'combined') break;
      if (doc?.status === 'failed') throw new Error(`combine failed: ${JSON.stringify(doc.failure)}`);
      await sleep(100);
    }
    const ms = Date.now() - started;
    peakKb = Math.max(peakKb, proc.peakRssKb() ?? 0);
    const artifact = await db.collection(`${Collections.artifactBucket}.files`).findOne({});
    return {
      rd5000Bytes: rd5000.bytes,
      rows: Number(artifact?.metadata?.rows ?? 0),
      ms,
      artifactBytes: Number(artifact?.length ?? 0),
      peakRssMb: peakKb / 1024,
    };
  } finally {
    await proc.stop('SIGTERM', 20_000);
    await amqp.close().catch(() => undefined);
    await db.dropDatabase().catch(() => undefined);
    await client.close();
    await vhost.drop().catch(() => undefined);
  }
}

const mb = (n: number): string => (n / 1_048_576).toFixed(1);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const results: Result[] = [];
for (const size of SIZES) results.push(await measure(size));

const lines = [
  '## Combiner service',
  '',
  `\`node test/dist/bench/combiner-service.bench.js\`: the real process, GridFS raw files in, gzip NDJSON artifact out, ` +
    `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Peak RSS is the combiner process's VmHWM. ` +
    `Database: ${testMongoUrl().url.replace(/\/[^/]*$/, '')}.`,
  '',
  '| rd5000 | rows | time | rows/s | MB/s (rd5000) | artifact (gzip) | peak RSS |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${mb(r.rd5000Bytes)} MB | ${fmt(r.rows)} | ${(r.ms / 1000).toFixed(1)} s | ${fmt(r.rows / (r.ms / 1000))} | ` +
      `${(r.rd5000Bytes / 1_048_576 / (r.ms / 1000)).toFixed(1)} | ${mb(r.artifactBytes)} MB | ${r.peakRssMb.toFixed(0)} MB |`,
  ),
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
