// Import throughput (pnpm bench import): rows/s of the importer's own path
// (gunzip + validate + deterministic ids + unordered inserts + rollups + swap)
// into the running database, against a bare insertMany of the very same
// documents into a collection with the same indexes: the cost of idempotency.
// Env: TEST_MONGO_BASE (server URL without a database, default the local FerretDB), IMPORT_BENCH_ROWS, IMPORT_BENCH_BATCH.
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Collections, partitionId, type TransactionDoc } from '@posflow/contracts';
import { PartitionsRepository, ensureCoreIndexes, ensureDataIndexes, transactionIndexes } from '@posflow/dal';
import { toTransactionDoc } from '@posflow/importer';
import {
  generateRows,
  importMessage,
  inProcessImporter,
  stageCombined,
  writeArtifact,
} from '@posflow/importer/testing';

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 40_000);
const BATCH = Number(process.env.IMPORT_BENCH_BATCH ?? 1_000);
const ROUNDS = 2;
const base = (process.env.TEST_MONGO_BASE ?? 'mongodb://127.0.0.1:27017').replace(/\/+$/, '');
const dbName = `posflow_bench_import_${randomBytes(3).toString('hex')}`;

const client = await new MongoClient(`${base}/${dbName}`, { retryWrites: false }).connect();
const db = client.db();
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

try {
  await ensureCoreIndexes(db);
  await ensureDataIndexes(db);
  const importer = inProcessImporter(db, BATCH);
  const parts = new PartitionsRepository(db);
  const results: { importer: number[]; redelivery: number[]; bare: number[] } = {
    importer: [],
    redelivery: [],
    bare: [],
  };

  for (let round = 0; round < ROUNDS; round++) {
    const key = { branch: `BENCH${round}`, pos: 1, date: '2026-02-09' };
    const rows = [...generateRows(key, { rows: ROWS, seed: 42 + round })];
    await stageCombined(db, key, 1);
    const artifact = await writeArtifact(db, key, 1, rows);
    const msg = importMessage(key, 1, artifact);

    let t0 = process.hrtime.bigint();
    const outcome = await importer.run(msg);
    if (outcome.action !== 'ack') throw new Error(`import failed: ${JSON.stringify(outcome)}`);
    results.importer.push(ROWS / seconds(t0));

    // A redelivery after a crash just before the swap: every row is already there.
    await parts.col.updateOne({ _id: partitionId(key) }, { $set: { status: 'importing', generation: 0 } });
    t0 = process.hrtime.bigint();
    await importer.run(msg);
    results.redelivery.push(ROWS / seconds(t0));

    // The same documents, prepared up front, inserted bare (no validation, ids, rollups or swap).
    const bare = db.collection<TransactionDoc>(`bare_${round}`);
    await bare.createIndexes(transactionIndexes.slice(0, 1));
    for (const ix of transactionIndexes.slice(1)) await bare.createIndexes([ix]);
    const docs = rows.map((r) => toTransactionDoc(r, partitionId(key), 1));
    t0 = process.hrtime.bigint();
    for (let i = 0; i < docs.length; i += BATCH)
      await bare.insertMany(docs.slice(i, i + BATCH), { ordered: false });
    results.bare.push(ROWS / seconds(t0));
    if (
      (await db.collection(Collections.transactions).countDocuments({ partitionId: partitionId(key) })) !==
      ROWS
    )
      throw new Error('row count mismatch after import');
  }

  const best = (xs: number[]) => Math.round(Math.max(...xs));
  const all = (xs: number[]) => xs.map((x) => Math.round(x)).join(' / ');
  const ratio = (best(results.importer) / best(results.bare)) * 100;
  const server = (await db.admin().command({ buildInfo: 1 })) as {
    version?: string;
    ferretdbVersion?: string;
  };
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`## Import

${ROWS.toLocaleString('en-US')} generated rows per run (modifiers, gaps), batches of ${BATCH}, ${ROUNDS} runs, best shown (all runs in brackets).
Database: ${server.ferretdbVersion ? `FerretDB ${server.ferretdbVersion}` : `MongoDB ${server.version ?? '?'}`} (\`transactions\` with its ${transactionIndexes.length} indexes).

| path | rows/s |
| --- | ---: |
| importer: gunzip + zod + ids + unordered inserts + rollups + swap | ${best(results.importer)} (${all(results.importer)}) |
| importer, redelivered after a crash (every row a duplicate) | ${best(results.redelivery)} (${all(results.redelivery)}) |
| bare \`insertMany\` of the same documents, same indexes | ${best(results.bare)} (${all(results.bare)}) |

Importer / bare: **${ratio.toFixed(0)} %**. Peak RSS of the bench process: ${rssMb} MB (includes the generated rows and the bare run's documents held in memory).
`);
} finally {
  await db.dropDatabase().catch(() => undefined);
  await client.close();
}
