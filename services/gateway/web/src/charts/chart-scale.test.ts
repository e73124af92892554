import { describe, expect, test } from 'vitest';
import { chartWidth, labelEvery, linePath, linear, niceStep, ticks } from './chart-scale.js';

describe('chart scales', () => {
  test('nice steps and ticks cover the maximum', () => {
    expect(niceStep(100)).toBe(25);
    expect(niceStep(38_000)).toBe(10_000);
    expect(ticks(38_000)).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(ticks(0)).toEqual([0, 1]);
    for (const max of [1, 7, 99, 1234, 987_654]) expect(ticks(max).at(-1)).toBeGreaterThanOrEqual(max);
  });

  test('linear maps the domain onto the pixel range (inverted for y)', () => {
    const y = linear(100, 200, 0);
    expect(y(0)).toBe(200);
    expect(y(50)).toBe(100);
    expect(y(100)).toBe(0);
    expect(linear(0, 0, 10)(0)).toBe(0);
  });

  test('labels thin out evenly', () => {
    expect(labelEvery(14, 20)).toBe(1);
    expect(labelEvery(31, 10)).toBe(4);
  });

  test('a line path breaks at missing points', () => {
    expect(linePath([{ x: 0, y: 1 }, { x: 1, y: 2 }, null, { x: 3, y: 4 }])).toBe('M0.0,1.0L1.0,2.0M3.0,4.0');
    expect(linePath([])).toBe('');
  });

  test('layout width follows the container within bounds', () => {
    expect(chartWidth(undefined)).toBe(720);
    expect(chartWidth(200)).toBe(300);
    expect(chartWidth(512.4)).toBe(512);
    expect(chartWidth(4000)).toBe(1200);
  });
});
