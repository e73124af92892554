import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
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
