import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Collections, partitionId, type TransactionDoc } from '@posflow/contracts';
import { PartitionsRepository, RollupsRepository, ensureCoreIndexes, ensureDataIndexes } from '@posflow/dal';
import { AmqpClient, connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import { RollupAccumulator } from './domain/rollup-accumulator.js';
import { toTransactionDoc } from './domain/transaction-doc.js';
import { generateRows } from './testing/parsed-rows.generator.js';
import { writeArtifact } from './testing/artifact.writer.js';
import { importMessage, stageCombined } from './testing/import-message.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
const ROWS = 12_000;
const logger = createLogger('t', 'silent');

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  child: ChildProcess,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`importer exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}`);
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the importer process killed mid-import (SIGKILL) and started again', () => {
  let vhost: TestVhost;
  let mongo: MongoHandle;
  let mongoUrl: string;
  let amqp: AmqpClient;
  const children: ChildProcess[] = [];

  function startImporter(): ChildProcess {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        AMQP_URL: vhost.amqpUrl,
        MONGO_URL: mongoUrl,
        OPS_PORT: '0',
        OPS_HOST: '127.0.0.1',
        LOG_LEVEL: process.env.IMPORTER_LOG_LEVEL ?? 'warn',
        IMPORT_BATCH_SIZE: '200',
        PREFETCH: '1',
        SHUTDOWN_TIMEOUT_MS: '5000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -b services/importer)`);
    vhost = await createTestVhost('posflow-importer');
    mongoUrl = testMongoUrl('posflow_importer').url;
    mongo = await connectMongo(mongoUrl, logger);
    await ensureCoreIndexes(mongo.db);
    await ensureDataIndexes(mongo.db);
    amqp = new AmqpClient({
      url: vhost.amqpUrl,
      logger,
      connectionName: 'test',
      topology: { retryDelaysMs: [200, 500], deliveryLimit: 5 },
    });
    await amqp.start();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await amqp?.close();
    await mongo?.db.dropDatabase();
    await mongo?.close();
    await vhost?.drop();
  });

  test('ends loaded with exactly the artifact rows: no duplicates, no losses', async () => {
    const key = { branch: 'KILL', pos: 3, date: '2026-02-09' };
    const pg = `${partitionId(key)}#1`;
    const rows = [...generateRows(key, { rows: ROWS, seed: 77 })];
    await stageCombined(mongo.db, key, 1);
    const artifact = await writeArtifact(mongo.db, key, 1, rows);
    const col = mongo.db.collection<TransactionDoc>(Collections.transactions);

    const first = startImporter();
    await amqp.publish('import', importMessage(key, 1, artifact));
    const before = await until(
      'some rows written',
      async () => {
        const c = await col.countDocuments({ pg });
        return c >= 2_000 ? c : undefined;
      },
      first,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const parts = new PartitionsRepository(mongo.db);
    const mid = await parts.get(key);
    const written = await col.countDocuments({ pg });
    expect(mid?.status).toBe('importing');
    expect(written).toBeGreaterThanOrEqual(before);
    expect(written).toBeLessThan(ROWS);

    const second = startImporter();
    await until(
      'partition loaded',
      async () => ((await parts.get(key))?.status === 'loaded' ? true : undefined),
      second,
    );
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    const p = await parts.get(key);
    expect(p).toMatchObject({ status: 'loaded', generation: 1, rowsLoaded: ROWS });
    const ids = (await col.find({ pg }, { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();
    const expected = rows.map((r) => toTransactionDoc(r, partitionId(key), 1)._id).sort();
    expect(ids).toEqual(expected);
    const acc = new RollupAccumulator(key, 1);
    for (const r of rows) acc.add(r);
    const stored = await new RollupsRepository(mongo.db).forGeneration(pg);
    const byId = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? -1 : 1);
    expect(stored.sort(byId)).toEqual(acc.docs().sort(byId));
    expect(await vhost.queueDepth('posflow.import.dead')).toBe(0);
  });
});
