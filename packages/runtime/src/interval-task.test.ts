import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IntervalTask } from './interval-task.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('IntervalTask', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const logger = () => ({ warn: vi.fn() });

  it('never overlaps runs: ticks during a slow run join it', async () => {
    const slow = deferred();
    let active = 0;
    let most = 0;
    const run = vi.fn(async () => {
      active += 1;
      most = Math.max(most, active);
      await slow.promise;
      active -= 1;
    });
    const task = new IntervalTask({ name: 't', run, logger: logger() });
    task.start(100);
    await vi.advanceTimersByTimeAsync(450);
    expect(run).toHaveBeenCalledTimes(1);
    slow.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
    await task.stop();
  });

  it('runs at start when asked, otherwise first after one interval', async () => {
    const eager = vi.fn(() => Promise.resolve());
    const lazy = vi.fn(() => Promise.resolve());
    const a = new IntervalTask({ name: 'a', run: eager, logger: logger(), runAtStart: true });
    const b = new IntervalTask({ name: 'b', run: lazy, logger: logger() });
    a.start(1_000);
    b.start(1_000);
    expect(eager).toHaveBeenCalledTimes(1);
    expect(lazy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(eager).toHaveBeenCalledTimes(2);
    expect(lazy).toHaveBeenCalledTimes(1);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('stop waits for the run in flight and starts no new run', async () => {
    const slow = deferred();
    const run = vi.fn(() => slow.promise);
    const task = new IntervalTask({ name: 't', run, logger: logger() });
    task.start(100);
    await vi.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(stopped).toBe(false);
    slow.resolve();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    await task.runOnce();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('logs a failed run (thrown or rejected) and goes on', async () => {
    const log = logger();
    let calls = 0;
    const run = vi.fn(() => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      if (calls === 2) return Promise.reject(new Error('later'));
      return Promise.resolve();
    });
    const task = new IntervalTask({ name: 'sweep', run, logger: log });
    task.start(100);
    await vi.advanceTimersByTimeAsync(300);
    expect(run).toHaveBeenCalledTimes(3);
    expect(log.warn).toHaveBeenCalledTimes(2);
    expect(log.warn).toHaveBeenNthCalledWith(1, { task: 'sweep', err: 'boom' }, expect.any(String));
    expect(log.warn).toHaveBeenNthCalledWith(2, { task: 'sweep', err: 'later' }, expect.any(String));
    await task.stop();
  });
});
