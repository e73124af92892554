import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import type { FileRecordDoc } from '@posflow/contracts';
import { FileRecordsRepository } from './filerecords.repository.js';
import { ensureCoreIndexes } from './indexes.js';
import { JobsRepository } from './jobs.repository.js';
import { MonitorRepository } from './monitor.repository.js';
import { PartitionsRepository } from './partitions.repository.js';

const key = { branch: 'BMC', pos: 1, date: '2026-02-09' };

describe('partition lifecycle on the real database', () => {
  let mongo: MongoHandle;
  let parts: PartitionsRepository;
  let jobs: JobsRepository;
  let monitor: MonitorRepository;

  let url: string;

  beforeAll(async () => {
    url = testMongoUrl().url;
    mongo = await connectMongo(url, createLogger('t', 'silent'));
    await ensureCoreIndexes(mongo.db);
    parts = new PartitionsRepository(mongo.db);
    jobs = new JobsRepository(mongo.db, parts);
    monitor = new MonitorRepository(mongo.db);
  });
  afterAll(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  test('register is idempotent and records every job', async () => {
    await parts.register([key], 'job-1');
    await parts.register([key], 'job-1');
    await parts.register([key], 'job-2');
    const doc = await parts.get(key);
    expect(doc?.status).toBe('pending');
    expect(doc?.jobIds.sort()).toEqual(['job-1', 'job-2']);
    expect(await parts.col.countDocuments()).toBe(1);
  });

  test('moves are compare-and-set: a late or duplicate message cannot move a partition backwards', async () => {
    expect(await parts.transition(key, ['pending'], 'fetching')).not.toBeNull();
    expect(await parts.transition(key, ['fetching'], 'fetched', { files: 7 })).not.toBeNull();
    // a duplicate "fetched" arrives: it expects "fetching", finds "fetched"
    expect(await parts.transition(key, ['pending'], 'fetching')).toBeNull();
    expect((await parts.get(key))?.status).toBe('fetched');
    expect(await parts.claimGeneration(key)).toBe(1);
    expect(await parts.claimGeneration(key)).toBe(2);
    await expect(parts.transition(key, ['loaded'], 'pending')).rejects.toThrow(/no allowed transition/);
  });

  test('job counts derive from partitions and the job settles when all are done', async () => {
    const k2 = { ...key, date: '2026-02-10' };
    const job = await jobs.create({
      kind: 'range',
      request: {},
      partitions: ['BMC_1_2026-02-09', 'BMC_1_2026-02-10'],
      createdBy: 'test',
    });
    await parts.register([key, k2], job._id);
    await parts.transition(k2, ['pending'], 'fetching');
    await parts.transition(k2, ['fetching'], 'empty');
    let p = await jobs.refresh(job._id);
    expect(p?.job.status).toBe('running');
    await parts.transition(key, ['fetched'], 'combining');
    await parts.markFailed(key, 'combine', 'poison', 1);
    p = await jobs.refresh(job._id);
    expect(p?.counts).toEqual({ empty: 1, failed: 1 });
    expect(p?.job.status).toBe('partial');
  });

  test('monitor entries aggregate repeats and reopen when resolved', async () => {
    const ev = { partition: key, kind: 'upstream-error' as const, key: 'html', detail: 'HTML page' };
    await monitor.record(ev);
    await monitor.record(ev);
    const id = MonitorRepository.idFor(ev);
    expect((await monitor.col.findOne({ _id: id }))?.count).toBe(2);
    expect(await monitor.resolve(id, 'ops')).toBe(true);
    await monitor.record(ev);
    const doc = await monitor.col.findOne({ _id: id });
    expect(doc?.resolved).toBe(false);
    expect(doc?.count).toBe(3);
  });

  test('registerOne creates or returns the partition in one step and records the job', async () => {
    const k = { branch: 'ONE', pos: 2, date: '2026-02-09' };
    const first = await parts.registerOne(k, 'job-a');
    expect(first).toMatchObject({ status: 'pending', generation: 0, jobIds: ['job-a'] });
    await parts.transition(k, ['pending'], 'fetching');
    const again = await parts.registerOne(k, 'job-b');
    expect(again.status).toBe('fetching');
    expect([...again.jobIds].sort()).toEqual(['job-a', 'job-b']);
    expect(await parts.col.countDocuments({ branch: 'ONE' })).toBe(1);
  });

  test('registration writes a partition it did not create only through the revision claim', async () => {
    const k = { branch: 'REG', pos: 1, date: '2026-02-09' };
    const other = { branch: 'REG', pos: 2, date: '2026-02-09' };
    await parts.register([k], 'job-a');
    const fetching = await parts.transition(k, ['pending'], 'fetching');
    // The same job again (a redelivery, a second enqueue): nothing is written, not even updatedAt.
    await parts.register([k], 'job-a');
    expect(await parts.registerOne(k, 'job-a')).toEqual(fetching);
    expect(await parts.get(k)).toEqual(fetching);
    // A new job: one claimed revision that adds the job and keeps what the stages wrote.
    await parts.register([k, other], 'job-b');
    const moved = await parts.get(k);
    expect(moved).toMatchObject({ status: 'fetching', rev: (fetching?.rev ?? 0) + 1 });
    expect([...(moved?.jobIds ?? [])].sort()).toEqual(['job-a', 'job-b']);
    expect(await parts.get(other)).toMatchObject({ status: 'pending', jobIds: ['job-b'] });
    // A known-empty mark is claimed too, and refused on a loaded partition.
    const marked = await parts.markKnownEmpty(k);
    expect(marked).toMatchObject({ knownEmpty: true, rev: (moved?.rev ?? 0) + 1 });
    const fresh = await parts.markKnownEmpty({ branch: 'REG', pos: 1, date: '2026-02-10' });
    expect(fresh).toMatchObject({ status: 'pending', knownEmpty: true, jobIds: [] });
  });

  test('a transition from a known document skips the read, and a stale one is caught by the revision claim', async () => {
    const k = { branch: 'KNOWN', pos: 1, date: '2026-02-09' };
    const pending = await parts.registerOne(k, undefined);
    const fetching = await parts.transition(k, ['pending'], 'fetching', {}, {}, [], pending);
    expect(fetching?.status).toBe('fetching');
    // `pending` is stale now: its claim of the next revision loses, the re-read finds `fetching`.
    expect(await parts.transition(k, ['pending'], 'fetching', {}, {}, [], pending)).toBeNull();
    const fetched = await parts.transition(k, ['fetching'], 'fetched', { files: 3 }, {}, [], fetching!);
    expect(fetched).toMatchObject({ status: 'fetched', files: 3, rev: (fetching?.rev ?? 0) + 1 });
    // A stale known document whose status would allow the move: re-read, and the move is refused.
    expect(await parts.transition(k, ['fetching'], 'empty', {}, {}, [], fetching!)).toBeNull();
    expect((await parts.get(k))?.status).toBe('fetched');
  });

  test('file records: a batch insert keeps existing ids, and the chosen marks are set in one write', async () => {
    const files = new FileRecordsRepository(mongo.db);
    const k = { branch: 'FILES', pos: 1, date: '2026-02-09' };
    const rec = (name: string, type: FileRecordDoc['type']): FileRecordDoc => ({
      _id: FileRecordsRepository.idFor(k, name, 'ab'.repeat(32)),
      ...k,
      type,
      upstreamPath: name,
      name,
      sendTime: '10-00',
      size: 1,
      dataRows: 1,
      sha256: 'ab'.repeat(32),
      gridfsId: '0'.repeat(24),
      source: 'upstream',
      fetchedAt: new Date(),
      status: 'stored',
    });
    const a = rec('a.csv', 'rd5000');
    const b = rec('b.csv', 'rd5000');
    const c = rec('c.csv', 'rd1800');
    expect(await files.insertManyIfNew([a])).toEqual([true]);
    expect(await files.insertManyIfNew([a, b, c, b])).toEqual([false, true, true, false]);
    expect(await files.insertManyIfNew([])).toEqual([]);
    expect(await files.col.countDocuments({ branch: 'FILES' })).toBe(3);
    await files.markChosen(k, [b._id, c._id], ['rd5000', 'rd1800']);
    const status = Object.fromEntries((await files.forPartition(k)).map((r) => [r.name, r.status]));
    expect(status).toEqual({ 'a.csv': 'superseded', 'b.csv': 'chosen', 'c.csv': 'chosen' });
    // The fetcher's variant writes only the changes, from the records it read.
    await files.markChosenAmong(await files.forPartition(k), [a._id, c._id]);
    const after = Object.fromEntries((await files.forPartition(k)).map((r) => [r.name, r.status]));
    expect(after).toEqual({ 'a.csv': 'chosen', 'b.csv': 'superseded', 'c.csv': 'chosen' });
  });

  test('racing duplicates: exactly one compare-and-set wins, generations are never handed out twice', async () => {
    const k = { branch: 'RACE', pos: 1, date: '2026-03-01' };
    await parts.register([k], undefined);
    // separate clients, so the moves really run concurrently on the server
    const clients = await Promise.all(
      Array.from({ length: 8 }, () => connectMongo(url, createLogger('t', 'silent'))),
    );
    try {
      const repos = clients.map((c) => new PartitionsRepository(c.db));
      const wins = (await Promise.all(repos.map((r) => r.transition(k, ['pending'], 'fetching')))).filter(
        Boolean,
      );
      expect(wins).toHaveLength(1);
      const gens = await Promise.all(repos.map((r) => r.claimGeneration(k)));
      expect([...gens].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
