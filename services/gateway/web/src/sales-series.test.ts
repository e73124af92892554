import type { SalesReport } from '@posflow/contracts';
import { describe, expect, test } from 'vitest';
import { daypartGroups, daySeries, groupDetails, hourGroups } from './sales-series.js';

const fig = (salesE4: number, tc = 1) => ({
  sales: (salesE4 / 1e4).toFixed(4),
  salesE4,
  quantity: 1,
  tc,
  ac: (salesE4 / 1e4 / tc).toFixed(4),
});

function report(
  groupBy: SalesReport['groupBy'],
  groups: SalesReport['groups'],
  compare = false,
): SalesReport {
  return {
    from: '2026-01-01',
    to: '2026-01-03',
    groupBy,
    scope: 'all',
    groups,
    total: fig(groups.reduce((s, g) => s + g.salesE4, 0)),
    ...(compare ? { previousTotal: fig(groups.reduce((s, g) => s + (g.previous?.salesE4 ?? 0), 0)) } : {}),
  };
}

describe('sales series', () => {
  test('one point per calendar day, zero for days without sales, last year aligned', () => {
    const r = report(
      'day',
      [
        { key: '2026-01-01', ...fig(10_000), previous: fig(20_000) },
        { key: '2026-01-03', ...fig(30_000), previous: fig(0) },
      ],
      true,
    );
    expect(daySeries(r)).toEqual({
      dates: ['2026-01-01', '2026-01-02', '2026-01-03'],
      current: [1, 0, 3],
      previous: [2, null, 0],
    });
    expect(daySeries(report('day', [])).previous).toBeNull();
    // compared, but nothing loaded last year: no flat zero line
    expect(
      daySeries(report('day', [{ key: '2026-01-01', ...fig(1), previous: fig(0) }], true)).previous,
    ).toBeNull();
  });

  test('hours run in order from the first to the last hour with sales', () => {
    const r = report('hour', [
      { key: '13', ...fig(5) },
      { key: '9', ...fig(7) },
    ]);
    expect(hourGroups(r).map((g) => g.key)).toEqual(['9', '10', '11', '12', '13']);
    expect(hourGroups(report('hour', []))).toEqual([]);
  });

  test('dayparts follow the day, not the alphabet', () => {
    const r = report(
      'daypart',
      ['Dinner', 'Breakfast', 'PM Snack', 'Lunch', 'GY'].map((key) => ({ key, ...fig(1) })),
    );
    expect(daypartGroups(r).map((g) => g.key)).toEqual(['GY', 'Breakfast', 'Lunch', 'PM Snack', 'Dinner']);
  });

  test('tooltips carry sales, quantity, TC, AC and last year', () => {
    expect(groupDetails({ key: 'X', ...fig(1_234_5000, 3), previous: fig(10_000) })).toEqual([
      'Sales 1,234.50',
      'Qty 1',
      'TC 3',
      'AC 411.50',
      'Last year 1.00',
    ]);
  });
});
