import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Collections, partitionId, type PartitionDoc, type PartitionKey } from '@posflow/contracts';
import { PartitionsRepository, ensureCoreIndexes, ensureDataIndexes } from '@posflow/dal';
import { connectMongo, createLogger, createRegistry, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import { GridFsArtifactSource, type ArtifactSource } from './adapters/artifact-store.js';
import { createImporterService } from './importer.service.js';
import { writeArtifact } from './testing/artifact.writer.js';
import { importMessage, stageCombined } from './testing/import-message.js';
import { inProcessImporter } from './testing/harness.js';
import { generateRows } from './testing/parsed-rows.generator.js';

const date = '2026-02-10';
let n = 0;
const nextKey = (): PartitionKey => ({ branch: `L${++n}`, pos: 1, date });
const logger = createLogger('t', 'silent');
const ctx = { attempt: 0, redelivered: false, logger, signal: new AbortController().signal };

/**
 * FerretDB 1.x writes a whole document per update, so an update that does not
 * go through the revision claim (e.g. a fetcher registering a redelivered
 * fetch message's partition) can land on top of the importer's
 * `combined → importing` claim and put the partition back to `combined`.
 * These tests replay that lost update deterministically: the artifact source
 * restores the pre-claim document when the handler first touches it (right
 * after the claim).
 */
describe('importer: a claim undone by a concurrent write', () => {
  let mongo: MongoHandle;
  let parts: PartitionsRepository;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUrl().url, logger);
    await ensureCoreIndexes(mongo.db);
    await ensureDataIndexes(mongo.db);
    parts = new PartitionsRepository(mongo.db);
  });
  afterAll(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  /** An artifact source that, on its first use, writes `before` back over the partition (the lost update). */
  function undoingClaim(before: PartitionDoc): ArtifactSource {
    const real = new GridFsArtifactSource(mongo.db);
    let undone = false;
    return {
      open: (id) => real.open(id),
      deleteOlder: (pid, g) => real.deleteOlder(pid, g),
      exists: async (id) => {
        if (!undone) {
          undone = true;
          await mongo.db.collection<PartitionDoc>(Collections.partitions).replaceOne({ _id: before._id }, before);
        }
        return real.exists(id);
      },
    };
  }

  test('the import is retried, not discarded: the partition is loaded with its rows', async () => {
    const key = nextKey();
    const rows = [...generateRows(key, { rows: 120, seed: 5 })];
    await stageCombined(mongo.db, key, 1);
    const artifact = await writeArtifact(mongo.db, key, 1, rows);
    const msg = importMessage(key, 1, artifact);
    const before = (await parts.get(key))!;

    const racing = createImporterService({
      db: mongo.db,
      registry: createRegistry('importer-test'),
      logger,
      batchSize: 50,
      artifacts: undoingClaim(before),
    });
    const first = await racing.handler(msg, ctx).catch((err: unknown) => err);
    // The claim was undone: the partition still waits for generation 1, and this delivery says "later".
    expect(first).toMatchObject({ name: 'TransientError', kind: 'claim-lost' });
    expect(await parts.get(key)).toMatchObject({ status: 'combined', claimedGeneration: 1, generation: 0 });

    // The retry (the same message, from the retry queue) finishes the load.
    expect(await inProcessImporter(mongo.db, 50).run(msg)).toEqual({ action: 'ack' });
    expect(await parts.get(key)).toMatchObject({ status: 'loaded', generation: 1, rowsLoaded: 120 });
    const pg = `${partitionId(key)}#1`;
    expect(await mongo.db.collection(Collections.transactions).countDocuments({ pg })).toBe(120);
  });

  test('a duplicate import request (sequential or concurrent) loads the rows exactly once', async () => {
    const key = nextKey();
    const rows = [...generateRows(key, { rows: 90, seed: 6 })];
    await stageCombined(mongo.db, key, 1);
    const artifact = await writeArtifact(mongo.db, key, 1, rows);
    const msg = importMessage(key, 1, artifact);
    const importer = inProcessImporter(mongo.db, 40);
    const both = await Promise.all([importer.run(msg), importer.run(msg)]);
    const again = await importer.run(msg);
    // A concurrent twin may be told "later" (its claim raced the other's); the retry then only finishes.
    for (const o of both) expect(['ack', 'retry']).toContain(o.action);
    expect(again).toEqual({ action: 'ack' });
    expect(await parts.get(key)).toMatchObject({ status: 'loaded', generation: 1, rowsLoaded: 90 });
    const pg = `${partitionId(key)}#1`;
    expect(await mongo.db.collection(Collections.transactions).countDocuments({ pg })).toBe(90);
    // nothing stored beside the loaded generation
    const stored = mongo.db.collection(Collections.transactions).countDocuments({ partitionId: partitionId(key) });
    expect(await stored).toBe(90);
  });
});
