import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Collections } from '@posflow/contracts';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { testMongoUrl } from '@posflow/runtime/testing';
import { MongoPermitLimiter, type PermitLimiterOptions } from './permit-limiter.js';

const logger = createLogger('limiter-test', 'silent');

describe('MongoPermitLimiter on the real database', () => {
  const { url } = testMongoUrl('posflow_limiter');
  // Separate clients stand for separate replicas (separate connection pools).
  const handles: MongoHandle[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) handles.push(await connectMongo(url, logger));
  });
  afterAll(async () => {
    await handles[0]?.db.dropDatabase();
    for (const h of handles) await h.close();
  });

  function limiter(i: number, opts: Partial<PermitLimiterOptions> = {}): MongoPermitLimiter {
    const h = handles[i];
    if (!h) throw new Error('no handle');
    return new MongoPermitLimiter(h.db, {
      name: opts.name ?? 'cap',
      permits: 3,
      leaseMs: 10_000,
      holderPrefix: `replica-${i}`,
      ...opts,
    });
  }

  test('never more holders than permits across replicas, and more than one at a time', async () => {
    const limiters = [0, 1, 2, 3].map((i) => limiter(i));
    let holding = 0;
    let peak = 0;
    const work = Array.from({ length: 24 }, async (_, n) => {
      const permit = await (limiters[n % 4] as MongoPermitLimiter).acquire();
      holding += 1;
      peak = Math.max(peak, holding);
      await sleep(15 + Math.random() * 20);
      holding -= 1;
      await permit.release();
    });
    await Promise.all(work);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    expect(
      await handles[0]?.db.collection(Collections.limiter).countDocuments({ _id: { $regex: /^cap:/ } } as never),
    ).toBe(0);
    for (const l of limiters) l.close();
  });

  test('a permit whose holder died (stopped renewing) comes back after its lease', async () => {
    const dying = limiter(0, { name: 'lease', permits: 1, leaseMs: 600 });
    await dying.acquire(); // never released
    dying.close(); // the replica is gone: no more renewals
    const other = limiter(1, { name: 'lease', permits: 1, leaseMs: 600 });
    const permit = await other.acquire();
    const doc = await handles[1]?.db
      .collection<{ _id: string; holder: string }>(Collections.limiter)
      .findOne({ _id: 'lease:0' });
    expect(doc?.holder).toMatch(/^replica-1:/);
    await permit.release();
    other.close();
  });

  test('a held permit is renewed, so a long request keeps it beyond the lease', async () => {
    const holder = limiter(0, { name: 'renew', permits: 1, leaseMs: 600 });
    const permit = await holder.acquire();
    const waiter = limiter(1, { name: 'renew', permits: 1, leaseMs: 600 });
    const ac = new AbortController();
    const attempt = waiter.acquire(ac.signal);
    await sleep(1_500);
    ac.abort();
    await expect(attempt).rejects.toThrow();
    await permit.release();
    const next = await waiter.acquire();
    await next.release();
    holder.close();
    waiter.close();
  });
});
