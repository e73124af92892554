import { describe, expect, test } from 'vitest';
import { createRng, hashSeed } from './prng.js';

describe('createRng', () => {
  test('same seed gives the same stream', () => {
    const a = createRng(42);
    const b = createRng(42);
    expect(Array.from({ length: 100 }, () => a.next())).toEqual(Array.from({ length: 100 }, () => b.next()));
  });

  test('nearby seeds diverge', () => {
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });

  test('int stays in range and hits both ends', () => {
    const r = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  test('weightedIndex never picks a zero weight', () => {
    const r = createRng(9);
    for (let i = 0; i < 1000; i++) expect(r.weightedIndex([0, 1, 0, 3])).not.toBe(0);
  });

  test('hashSeed separates parts', () => {
    expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
  });
});
