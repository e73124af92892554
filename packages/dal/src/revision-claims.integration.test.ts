import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Collection } from 'mongodb';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import { RevisionClaims, type RevisionClaimDoc } from './revision-claims.js';

describe('revision claims on the real database', () => {
  let mongo: MongoHandle;
  let docs: Collection<{ _id: string; rev: number }>;
  let claims: Collection<RevisionClaimDoc>;
  const revOf = async (id: string) => (await docs.findOne({ _id: id }))?.rev ?? 0;

  beforeAll(async () => {
    mongo = await connectMongo(testMongoUrl().url, createLogger('t', 'silent'));
    docs = mongo.db.collection('guarded');
    claims = mongo.db.collection('guardedrevs');
  });
  afterAll(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  /** A step that writes revision rev + 1 of `id` and records the revisions it wrote from. */
  const bump =
    (id: string, wroteFrom: number[], read: () => Promise<number> = () => revOf(id)) =>
    async () => {
      const rev = await read();
      return {
        rev,
        write: async () => {
          wroteFrom.push(rev);
          await docs.updateOne({ _id: id }, { $set: { rev: rev + 1 } });
          return rev + 1;
        },
      };
    };

  test('a claim whose holder died is taken back once stale', async () => {
    await docs.insertOne({ _id: 'dead', rev: 0 });
    await claims.insertOne({ _id: 'dead@1', at: new Date(Date.now() - 60_000) });
    const wrote: number[] = [];
    const c = new RevisionClaims(claims, revOf, { label: 't', staleMs: 1_000 });
    expect(await c.run('dead', bump('dead', wrote))).toBe(1);
    expect(wrote).toEqual([0]);
  });

  test('kept claims: a writer that read an old revision loses and reads again', async () => {
    await docs.insertOne({ _id: 'kept', rev: 1 });
    await claims.insertOne({ _id: 'kept@1', at: new Date() });
    const wrote: number[] = [];
    const c = new RevisionClaims(claims, revOf, { label: 't' });
    let reads = 0;
    // the first read is stale (revision 0, as a known document from before the last write)
    const stale = () => (reads++ === 0 ? Promise.resolve(0) : revOf('kept'));
    expect(await c.run('kept', bump('kept', wrote, stale))).toBe(2);
    expect(wrote).toEqual([1]);
  });

  test('released claims: a claim won again after its release is checked against the revision', async () => {
    await docs.insertOne({ _id: 'rel', rev: 0 });
    const wrote: number[] = [];
    const c = new RevisionClaims(claims, revOf, { label: 't', releasePrevious: true });
    let attempt = 0;
    const step = bump('rel', wrote);
    const racing = async () => {
      const s = await step();
      if (attempt++ === 0) {
        // meanwhile two other writers wrote revisions 1 and 2 and released claim 1
        await docs.updateOne({ _id: 'rel' }, { $set: { rev: 2 } });
        await claims.insertOne({ _id: 'rel@2', at: new Date() });
      }
      return s;
    };
    expect(await c.run('rel', racing)).toBe(3);
    expect(wrote).toEqual([2]);
    expect(await claims.countDocuments({ _id: 'rel@2' })).toBe(0);
    expect(await claims.countDocuments({ _id: 'rel@3' })).toBe(1);
  });

  test('a step may finish without a write', async () => {
    const c = new RevisionClaims(claims, revOf, { label: 't' });
    expect(await c.run('none', () => Promise.resolve({ done: 'unchanged' }))).toBe('unchanged');
    expect(await claims.countDocuments({ _id: /^none@/ })).toBe(0);
  });
});
