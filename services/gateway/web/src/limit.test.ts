import { describe, expect, test } from 'vitest';
import { limited } from './limit.js';

describe('limited', () => {
  test('starts tasks in order, never more than max at once, passing results and errors through', async () => {
    const run = limited(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const task = (n: number) => () => {
      started.push(n);
      active++;
      peak = Math.max(peak, active);
      return new Promise<number>((resolve, reject) => {
        gates[n] = () => {
          active--;
          if (n === 3) reject(new Error('three'));
          else resolve(n * 10);
        };
      });
    };
    const results = [0, 1, 2, 3].map((n) => run(task(n)));
    expect(started).toEqual([0, 1]);
    gates[1]!();
    await results[1];
    expect(started).toEqual([0, 1, 2]);
    gates[0]!();
    gates[2]!();
    await Promise.all([results[0], results[2]]);
    expect(started).toEqual([0, 1, 2, 3]);
    gates[3]!();
    await expect(results[3]).rejects.toThrow('three');
    expect(await Promise.all(results.slice(0, 3))).toEqual([0, 10, 20]);
    expect(peak).toBe(2);
  });
});
