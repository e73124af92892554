import { describe, expect, test } from 'vitest';
import { ROLLUP_DIMENSIONS, type ParsedRow, type RollupDimension } from '@posflow/contracts';
import { generateRows, prng } from '../testing/parsed-rows.generator.js';
import { RollupAccumulator, rollupKey } from './rollup-accumulator.js';

/** The reference: sums computed directly from the rows, by brute force, per (dim, scope, key). */
function directSums(rows: readonly ParsedRow[], dim: RollupDimension, scope: 'all' | 'products') {
  const out = new Map<
    string,
    { salesE4: number; discountE4: number; quantity: number; lines: number; receipts: number }
  >();
  const keys = new Set(rows.filter((r) => scope === 'all' || !r.isModifier).map((r) => rollupKey(dim, r)));
  for (const key of keys) {
    const mine = rows.filter((r) => (scope === 'all' || !r.isModifier) && rollupKey(dim, r) === key);
    out.set(key, {
      salesE4: mine.reduce((s, r) => s + (r.amountE4 ?? 0), 0),
      discountE4: mine.reduce((s, r) => s + (r.discountE4 ?? 0), 0),
      quantity: mine.reduce((s, r) => s + (r.quantity ?? 0), 0),
      lines: mine.length,
      receipts: new Set(mine.map((r) => r.receiptNo)).size,
    });
  }
  return out;
}

describe('rollups equal sums computed directly from the rows (property, seeded)', () => {
  const seeds = Array.from({ length: 40 }, (_, i) => 1_000 + i * 7_919);
  test.each(seeds)('generated partition, seed %i', (seed) => {
    const r = prng(seed);
    const key = { branch: 'BMC', pos: 1 + Math.floor(r() * 3), date: '2026-02-09' };
    const rows = [
      ...generateRows(key, {
        rows: Math.floor(r() * 400),
        seed,
        modifiers: r() * 0.5,
        gaps: r() * 0.4,
      }),
    ];
    const acc = new RollupAccumulator(key, 3);
    for (const row of rows) acc.add(row);
    const docs = acc.docs();
    for (const dim of ROLLUP_DIMENSIONS) {
      for (const scope of ['all', 'products'] as const) {
        const expected = directSums(rows, dim, scope);
        const got = docs.filter((d) => d.dim === dim && d.scope === scope);
        expect(got.map((d) => d.key).sort()).toEqual([...expected.keys()].sort());
        for (const d of got) {
          const e = expected.get(d.key);
          expect(d.salesE4).toBe(e?.salesE4);
          expect(d.discountE4).toBe(e?.discountE4);
          expect(d.quantity).toBeCloseTo(e?.quantity ?? NaN, 6);
          expect(d.lines).toBe(e?.lines);
          expect(d.receipts).toBe(e?.receipts);
          expect(d._id).toBe(`BMC_${key.pos}_2026-02-09#3:${dim}:${scope}:${d.key}`);
          expect(d.pg).toBe(`BMC_${key.pos}_2026-02-09#3`);
        }
      }
    }
    // every row is in exactly one key per dimension: line totals add up
    const allDay = docs.filter((d) => d.dim === 'hour' && d.scope === 'all').reduce((s, d) => s + d.lines, 0);
    expect(allDay).toBe(rows.length);
  });

  test('an empty partition has no rollups; the business date gives year, month and weekday', () => {
    const key = { branch: 'BMC', pos: 1, date: '2024-02-29' };
    expect(new RollupAccumulator(key, 1).docs()).toEqual([]);
    const acc = new RollupAccumulator(key, 1);
    for (const row of generateRows(key, { rows: 3, seed: 1 })) acc.add(row);
    const day = acc.docs().find((d) => d.dim === 'day' && d.scope === 'all');
    expect(day).toMatchObject({ key: '2024-02-29', year: 2024, month: 2, weekday: 4 });
  });
});
