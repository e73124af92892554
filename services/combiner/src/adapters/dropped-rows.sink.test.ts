import { describe, expect, test } from 'vitest';
import type { DroppedRow } from '@posflow/contracts';
import { DroppedRowsSink } from './dropped-rows.sink.js';

const key = { branch: 'BMC', pos: 1, date: '2026-02-09' };
const row = (line: number): DroppedRow => ({ reason: 'bad-hour', file: 'f', line, raw: `r${line}` });

describe('DroppedRowsSink', () => {
  test('writes in order, in batches numbered by sequence', async () => {
    const calls: Array<[number, number[]]> = [];
    const sink = new DroppedRowsSink(
      { insertBatch: async (_k, _g, first, rows) => void calls.push([first, rows.map((r) => r.line)]) },
      key,
      1,
      2,
    );
    for (let i = 1; i <= 5; i++) sink.add(row(i));
    await sink.backlog();
    expect(await sink.close()).toBe(5);
    expect(calls).toEqual([
      [0, [1, 2]],
      [2, [3, 4]],
      [4, [5]],
    ]);
  });

  test('a failed write surfaces at the next wait, never as an unhandled rejection', async () => {
    const sink = new DroppedRowsSink(
      {
        insertBatch: async () => {
          throw new Error('db down');
        },
      },
      key,
      1,
      1,
    );
    sink.add(row(1));
    sink.add(row(2));
    await expect(sink.backlog()).rejects.toThrow('db down');
    await expect(sink.close()).rejects.toThrow('db down');
  });
});
