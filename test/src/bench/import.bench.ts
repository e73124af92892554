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
/** Rounds alternate which path runs first; medians are reported (the shared machine is noisy). */
const ROUNDS = Number(process.env.IMPORT_BENCH_ROUNDS ?? 4);
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

    const runImporter = async () => {
      const t0 = process.hrtime.bigint();
      const outcome = await importer.run(msg);
      if (outcome.action !== 'ack') throw new Error(`import failed: ${JSON.stringify(outcome)}`);
      results.importer.push(ROWS / seconds(t0));
      // A redelivery after a crash just before the swap: every row is already there.
      await parts.col.updateOne({ _id: partitionId(key) }, { $set: { status: 'importing', generation: 0 } });
      const t1 = process.hrtime.bigint();
      const again = await importer.run(msg);
      if (again.action !== 'ack') throw new Error(`redelivered import failed: ${JSON.stringify(again)}`);
      results.redelivery.push(ROWS / seconds(t1));
    };
    // The same documents, prepared up front, inserted bare (no validation, ids, rollups or swap).
    const runBare = async () => {
      const bare = db.collection<TransactionDoc>(`bare_${round}`);
      for (const ix of transactionIndexes) await bare.createIndexes([ix]);
      const docs = rows.map((r) => toTransactionDoc(r, partitionId(key), 1));
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < docs.length; i += BATCH)
        await bare.insertMany(docs.slice(i, i + BATCH), { ordered: false });
      results.bare.push(ROWS / seconds(t0));
    };
    // Alternate which goes first, so a load spike on the shared machine does not favour one path.
    if (round % 2 === 0) {
      await runImporter();
      await runBare();
    } else {
      await runBare();
      await runImporter();
    }
    if (
      (await db.collection(Collections.transactions).countDocuments({ partitionId: partitionId(key) })) !==
      ROWS
    )
      throw new Error('row count mismatch after import');
  }

  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return Math.round(s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2);
  };
  const all = (xs: number[]) => xs.map((x) => Math.round(x)).join(' / ');
  const ratio = (median(results.importer) / median(results.bare)) * 100;
  const server = (await db.admin().command({ buildInfo: 1 })) as {
    version?: string;
    ferretdbVersion?: string;
  };
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`## Import

${ROWS.toLocaleString('en-US')} generated rows per run (modifiers, gaps), batches of ${BATCH}, ${ROUNDS} runs alternating which path goes first, median shown (every run in brackets).
Database: ${server.ferretdbVersion ? `FerretDB ${server.ferretdbVersion}` : `MongoDB ${server.version ?? '?'}`} (\`transactions\` with its ${transactionIndexes.length} indexes).

| path | rows/s |
| --- | ---: |
| importer: gunzip + zod + ids + unordered inserts + rollups + swap | ${median(results.importer)} (${all(results.importer)}) |
| importer, redelivered after a crash (every row a duplicate) | ${median(results.redelivery)} (${all(results.redelivery)}) |
| bare \`insertMany\` of the same documents, same indexes | ${median(results.bare)} (${all(results.bare)}) |

Importer / bare: **${ratio.toFixed(0)} %**. Peak RSS of the bench process: ${rssMb} MB (includes the generated rows and the bare run's documents held in memory).
`);
} finally {
  await db.dropDatabase().catch(() => undefined);
  await client.close();
}
