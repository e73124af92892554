import { afterEach, describe, expect, test, vi } from 'vitest';
import { JobSettler } from './job-settler.js';

const logger = { warn: vi.fn() };

describe('job settler', () => {
  afterEach(() => vi.useRealTimers());

  test('a burst of moves of one job costs one refresh per interval; other jobs are refreshed apart', async () => {
    vi.useFakeTimers();
    const refresh = vi.fn(async () => null);
    const settler = new JobSettler({ refresh }, 10_000, logger);
    for (let i = 0; i < 50; i++) await settler.refresh('j1');
    await settler.refresh('j2');
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh.mock.calls).toEqual([['j1'], ['j2']]);
    await settler.refresh('j1');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  test('flush runs the pending refreshes at once and waits for them; a failure is logged, not thrown', async () => {
    const seen: string[] = [];
    const refresh = vi.fn(async (id: string) => {
      await new Promise((r) => setTimeout(r, 5));
      if (id === 'bad') throw new Error('db down');
      seen.push(id);
      return null;
    });
    const settler = new JobSettler({ refresh }, 60_000, logger);
    await settler.refresh('j1');
    await settler.refresh('bad');
    await settler.flush();
    expect(seen).toEqual(['j1']);
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ jobId: 'bad' }), expect.any(String));
  });

  test('a delay of 0 refreshes before returning', async () => {
    const refresh = vi.fn(async () => null);
    await new JobSettler({ refresh }, 0, logger).refresh('j1');
    expect(refresh).toHaveBeenCalledWith('j1');
  });
});
