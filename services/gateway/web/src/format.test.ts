import { describe, expect, test } from 'vitest';
import {
  addDays,
  change,
  compact,
  dayOfMonth,
  integer,
  money,
  moneyE4,
  monthBounds,
  percent,
  shortDate,
} from './format.js';

describe('money', () => {
  test('rounds the exact decimal string half away from zero, grouping thousands', () => {
    expect(money('12345.6789')).toBe('12,345.68');
    expect(money('0.005')).toBe('0.01');
    expect(money('-1234.5')).toBe('-1,234.50');
    expect(money('1000000')).toBe('1,000,000.00');
    expect(money('-0.001')).toBe('0.00');
    expect(money(null)).toBe('–');
  });

  test('from ten-thousandths of a peso, with no float drift', () => {
    expect(moneyE4(12_345_678)).toBe('1,234.57');
    expect(moneyE4(5)).toBe('0.00');
    expect(moneyE4(-25_000)).toBe('-2.50');
    expect(moneyE4(9_007_199_254_740_991 - 1)).toBe('900,719,925,474.10');
    expect(moneyE4(1_234_5000, 0)).toBe('1,235');
  });
});

describe('numbers', () => {
  test('compact axis labels', () => {
    expect(compact(0)).toBe('0');
    expect(compact(2500)).toBe('2.5k');
    expect(compact(40_000)).toBe('40k');
    expect(compact(1_250_000)).toBe('1.3M');
  });

  test('integers, percentages and year-on-year change', () => {
    expect(integer(1234567)).toBe('1,234,567');
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(5, 0)).toBe(0);
    expect(change(110, 100)).toBe('+10.0%');
    expect(change(90, 100)).toBe('-10.0%');
    expect(change(90, 0)).toBe('');
  });
});

describe('business dates (no time-zone shift)', () => {
  test('labels and arithmetic', () => {
    expect(shortDate('2026-02-09')).toBe('Mon 9 Feb');
    expect(dayOfMonth('2026-02-09')).toBe('9');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  test('month bounds, leap years included', () => {
    expect(monthBounds('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthBounds('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
