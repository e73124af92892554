import { describe, expect, test } from 'vitest';
import {
  addEncodedDayEntries,
  addEncodedEntries,
  decodeEntries,
  encodeDayEntries,
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

  test('day entries: per date, summed over the dates kept, other dates skipped unparsed', () => {
    const days = new Map<string, SummaryTable>([
      ['2026-01-31', new Map([['X', entry('X', 7, 1)]])],
      [
        '2026-01-02',
        new Map([
          ['TAB\tKEY', entry('TAB\tKEY', 3, 1)],
          ['X', entry('X', 5, 2)],
        ]),
      ],
      ['2026-01-03', new Map()],
    ]);
    const packed = encodeDayEntries(days);
    expect(packed.split('\n')).toEqual([
      '2026-01-02\tTAB\\tKEY\t3\t0\t20000\t2\t1',
      '2026-01-02\tX\t5\t0\t20000\t2\t2',
      '2026-01-31\tX\t7\t0\t20000\t2\t1',
    ]);
    const all = addEncodedDayEntries(new Map(), packed, () => true);
    expect(all.get('X')).toEqual({ ...entry('X', 12, 3), quantityE4: 40_000, lines: 4 });
    expect(all.get('TAB\tKEY')?.salesE4).toBe(3);
    const late = addEncodedDayEntries(new Map(), packed, (d) => d >= '2026-01-10');
    expect([...late.keys()]).toEqual(['X']);
    expect(late.get('X')?.salesE4).toBe(7);
    expect(addEncodedDayEntries(new Map(), '', () => true).size).toBe(0);
    expect(() => addEncodedDayEntries(new Map(), 'X\t1\t0\t0\t1\t1', () => true)).toThrow(
      /malformed day entry/,
    );
    expect(() => encodeDayEntries(new Map([['2026-1-2', new Map()]]))).toThrow(/not a date/);
  });

  test('exact money: day entries of large sums add up without rounding', () => {
    const big = 900_000_000_0000; // ten-thousandths: 900 million in money per entry
    const days = new Map(
      ['2026-03-01', '2026-03-02', '2026-03-03'].map(
        (d) => [d, new Map([['K', entry('K', big + 1, 1)]])] as const,
      ),
    );
    expect(addEncodedDayEntries(new Map(), encodeDayEntries(days), () => true).get('K')?.salesE4).toBe(
      3 * (big + 1),
    );
  });
});
