import { describe, expect, test, vi } from 'vitest';
import type { PartitionDoc, PartitionStatus } from '@posflow/contracts';
import { createLogger, makeMessage } from '@posflow/runtime';
import { createFetchPartitionHandler, type FetchPartitionDeps } from './fetch-partition.handler.js';

const key = { branch: 'BMC', pos: 1, date: '2026-02-09' };
const logger = createLogger('t', 'silent');
const ctx = { attempt: 0, redelivered: true, logger, signal: new AbortController().signal };

function setup(doc: Partial<PartitionDoc> | null) {
  const stored = doc && ({ _id: 'BMC_1_2026-02-09', ...key, generation: 0, ...doc } as PartitionDoc);
  const partitions = {
    registerOne: vi.fn(async () => stored ?? ({ ...key, status: 'pending' } as PartitionDoc)),
    transition: vi.fn(async () => null),
  };
  const publisher = { publish: vi.fn(async () => undefined) };
  // Only the partition and the publisher are reached on the paths below.
  const deps = { partitions, publisher } as unknown as FetchPartitionDeps;
  return { partitions, publisher, handler: createFetchPartitionHandler(deps) };
}

const msg = (jobId = 'j1') => makeMessage('fetch.requested', 1, { partition: key, jobId, force: false });

describe('fetch handler: registration of a partition already under way', () => {
  test.each<PartitionStatus>(['combining', 'combined', 'importing', 'loaded'])(
    'a redelivered request for a %s partition of its job writes nothing to the partition',
    async (status) => {
      const { partitions, publisher, handler } = setup({ status, jobIds: ['j1'] });
      expect(await handler(msg(), ctx)).toEqual({ action: 'ack' });
      // registerOne writes nothing for a partition already on its job (PartitionsRepository tests that).
      expect(partitions.registerOne).toHaveBeenCalledWith(key, 'j1');
      expect(partitions.transition).not.toHaveBeenCalled();
      expect(publisher.publish).not.toHaveBeenCalled();
    },
  );

  test('a fetched partition gets its combine request again, without a transition', async () => {
    const { partitions, publisher, handler } = setup({ status: 'fetched', jobIds: ['j1'] });
    const m = msg();
    expect(await handler(m, ctx)).toEqual({ action: 'ack' });
    expect(partitions.transition).not.toHaveBeenCalled();
    expect(publisher.publish).toHaveBeenCalledWith(
      'combine',
      expect.objectContaining({ id: `${m.id}:combine` }),
    );
  });

  test('a partition that is new, or not yet on this job, is registered', async () => {
    const fresh = setup(null);
    await fresh.handler(msg(), ctx);
    expect(fresh.partitions.registerOne).toHaveBeenCalledWith(key, 'j1');
    const otherJob = setup({ status: 'combined', jobIds: ['j0'] });
    await otherJob.handler(msg(), ctx);
    expect(otherJob.partitions.registerOne).toHaveBeenCalledWith(key, 'j1');
    expect(otherJob.partitions.transition).not.toHaveBeenCalled();
  });
});
