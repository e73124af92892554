import { createHash, randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MongoServerError } from 'mongodb';
import { createLogger } from '../logger.js';
import { testMongoUrl } from '../testing/index.js';
import { connectMongo, ensureIndexes, type MongoHandle } from './mongo-client.js';
import { FileStore } from './gridfs.js';

const logger = createLogger('mongo-test', 'silent');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('the MongoDB-compatible server is good enough (real FerretDB / MongoDB)', () => {
  let mongo: MongoHandle;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUrl().url, logger, { retryForMs: 30_000 });
  });
  afterAll(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  test('GridFSBucket round-trips a multi-chunk file with our sha256, then deletes it', async () => {
    const store = new FileStore(mongo.db, 'roundtrip', 64 * 1024);
    const data = randomBytes(64 * 1024 * 5 + 1234); // 6 chunks
    const stored = await store.upload(
      'a_BMC_1_rd5000_2026-02-09_20-00_.csv',
      Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
      { branch: 'BMC' },
    );
    expect(stored.size).toBe(data.length);
    expect(stored.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    const chunks = await mongo.db.collection('roundtrip.chunks').countDocuments({ files_id: stored.id });
    expect(chunks).toBe(6);
    const back = await readAll(store.download(stored.id));
    expect(back.equals(data)).toBe(true);
    await store.delete(stored.id);
    expect(await store.exists(stored.id)).toBe(false);
    expect(await mongo.db.collection('roundtrip.chunks').countDocuments({ files_id: stored.id })).toBe(0);
  });

  test('a failing upload leaves no partial file behind', async () => {
    const store = new FileStore(mongo.db, 'partial', 16 * 1024);
    let sent = 0;
    const failing = new Transform({
      transform(chunk: Buffer, _e, cb) {
        sent += chunk.length;
        if (sent > 100_000) cb(new Error('connection reset mid-download'));
        else cb(null, chunk);
      },
    });
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 20; i++) yield randomBytes(16 * 1024);
      })(),
    );
    await expect(store.upload('x.csv', source, {}, failing)).rejects.toThrow(/reset/);
    expect(await mongo.db.collection('partial.files').countDocuments()).toBe(0);
    expect(await mongo.db.collection('partial.chunks').countDocuments()).toBe(0);
  });

  test('a unique compound index rejects a duplicate insert', async () => {
    await ensureIndexes(mongo.db, {
      uniq: [{ key: { branch: 1, pos: 1, date: 1 }, unique: true, name: 'partition_unique' }],
    });
    const c = mongo.db.collection('uniq');
    await c.insertOne({ branch: 'BMC', pos: 1, date: '2026-02-09' });
    await c.insertOne({ branch: 'BMC', pos: 2, date: '2026-02-09' });
    const dup = await c.insertOne({ branch: 'BMC', pos: 1, date: '2026-02-09' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(dup).toBeInstanceOf(MongoServerError);
    expect((dup as MongoServerError).code).toBe(11000);
    expect(await c.countDocuments()).toBe(2);
  });

  test('an unordered bulk upsert inserts new documents and replaces existing ones', async () => {
    const c = mongo.db.collection<{ _id: string; v: number }>('bulk');
    await c.insertMany([
      { _id: 'a', v: 0 },
      { _id: 'b', v: 0 },
    ]);
    const ops = ['a', 'b', 'c', 'd'].map((id, i) => ({
      replaceOne: { filter: { _id: id }, replacement: { v: i + 1 }, upsert: true },
    }));
    const res = await c.bulkWrite(ops, { ordered: false });
    expect(res.upsertedCount).toBe(2);
    expect(res.matchedCount).toBe(2);
    // again: idempotent
    const again = await c.bulkWrite(ops, { ordered: false });
    expect(again.upsertedCount).toBe(0);
    const docs = await c.find().sort({ _id: 1 }).toArray();
    expect(docs).toEqual([
      { _id: 'a', v: 1 },
      { _id: 'b', v: 2 },
      { _id: 'c', v: 3 },
      { _id: 'd', v: 4 },
    ]);
  });

  test('an unordered insertMany reports duplicates but keeps the rest', async () => {
    const c = mongo.db.collection<{ _id: string }>('dups');
    await c.insertOne({ _id: 'x' });
    const err = await c.insertMany([{ _id: 'w' }, { _id: 'x' }, { _id: 'y' }], { ordered: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeTruthy();
    expect(await c.countDocuments()).toBe(3);
  });
});
