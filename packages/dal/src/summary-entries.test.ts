import { describe, expect, test } from 'vitest';
import { splitRange, summarySource } from './sales-summaries.repository.js';
import {
  addEncodedEntries,
  decodeEntries,
  encodeEntries,
  packRollups,
  type SummaryTable,
} from './summary-entries.js';

const entry = (key: string, salesE4 = 10_000, receipts = 1) => ({
  key,
  salesE4,
  discountE4: 0,
  quantityE4: 20_000,
  lines: 2,
  receipts,
});

describe('packed summary entries', () => {
  test('round-trip, keys with tabs, newlines and backslashes included', () => {
    const t: SummaryTable = new Map(
      ['PLAIN', 'TAB\tIN', 'NEW\nLINE', 'BACK\\SLASH', 'ÑANDÚ', ''].map((k) => [k, entry(k)]),
    );
    const packed = encodeEntries(t);
    expect(packed.split('\n')).toHaveLength(6);
    expect(decodeEntries(packed)).toEqual(t);
  });

  test('equal tables encode equally whatever their insertion order', () => {
    const a: SummaryTable = new Map([
      ['B', entry('B')],
      ['A', entry('A')],
    ]);
    const b: SummaryTable = new Map([
      ['A', entry('A')],
      ['B', entry('B')],
    ]);
    expect(encodeEntries(a)).toBe(encodeEntries(b));
    expect(encodeEntries(new Map())).toBe('');
    expect(decodeEntries('')).toEqual(new Map());
  });

  test('adding packed tables sums key by key (receipts add up across partitions)', () => {
    const t = addEncodedEntries(
      decodeEntries(encodeEntries(new Map([['X', entry('X', 5, 2)]]))),
      encodeEntries(
        new Map([
          ['X', entry('X', 7, 3)],
          ['Y', entry('Y')],
        ]),
      ),
    );
    expect(t.get('X')).toEqual({
      key: 'X',
      salesE4: 12,
      discountE4: 0,
      quantityE4: 40_000,
      lines: 4,
      receipts: 5,
    });
    expect(t.get('Y')?.salesE4).toBe(10_000);
  });

  test('a malformed entry is an error, not a silent zero', () => {
    expect(() => decodeEntries('ONLY\t1\t2')).toThrow(/malformed summary entry/);
  });

  test('rollups pack per dimension and scope; a dimension without rollups packs empty', () => {
    const r = {
      dim: 'product' as const,
      key: 'C1',
      salesE4: 5,
      discountE4: 1,
      quantity: 1.5,
      lines: 1,
      receipts: 1,
    };
    const packed = packRollups(
      [
        { ...r, scope: 'all' },
        { ...r, scope: 'products' },
        { ...r, key: 'C2', scope: 'all' },
      ],
      ['product', 'hour'],
    );
    expect(decodeEntries(packed.get('product')?.all ?? '').size).toBe(2);
    expect(decodeEntries(packed.get('product')?.products ?? '').get('C1')?.quantityE4).toBe(15_000);
    expect(packed.get('hour')).toEqual({ all: '', products: '' });
  });
});

describe('report ranges', () => {
  test('whole calendar months and the loose days at either end', () => {
    expect(splitRange('2026-01-01', '2026-03-31')).toEqual({
      months: ['2026-01', '2026-02', '2026-03'],
      days: [],
    });
    const r = splitRange('2026-01-30', '2026-03-02');
    expect(r.months).toEqual(['2026-02']);
    expect(r.days).toEqual(['2026-01-30', '2026-01-31', '2026-03-01', '2026-03-02']);
    expect(splitRange('2024-02-01', '2024-02-28')).toEqual({
      months: [],
      days: expect.any(Array) as unknown,
    });
    expect(splitRange('2024-02-01', '2024-02-29').months).toEqual(['2024-02']);
    expect(splitRange('2026-05-05', '2026-05-05')).toEqual({ months: [], days: ['2026-05-05'] });
  });

  test('weekday and branch groupings read the day summaries', () => {
    expect(summarySource('weekday')).toEqual({ dim: 'day', field: 'weekday' });
    expect(summarySource('branch')).toEqual({ dim: 'day', field: 'branch' });
    expect(summarySource('product')).toEqual({ dim: 'product', field: 'key' });
  });
});
