import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDecimal, parseMoneyE4 } from './decimal.parser.js';

describe('parseMoneyE4', () => {
  test.each([
    ['255.360', 2_553_600],
    ['-153.210', -1_532_100],
    ['0.000', 0],
    ['-0.000', 0],
    ['106.4286', 1_064_286],
    ['149', 1_490_000],
    ['125.0', 1_250_000],
    ['.5', 5_000],
    ['7.', 70_000],
    ['+3', 30_000],
    [' 12.5 ', 125_000],
  ])('%s → %d ten-thousandths, exactly', (text, e4) => expect(parseMoneyE4(text)).toBe(e4));

  test('more than 4 decimals round half away from zero on the 5th', () => {
    expect(parseMoneyE4('88.39285714285714')).toBe(883_929);
    expect(parseMoneyE4('10.607142857142856')).toBe(106_071);
    expect(parseMoneyE4('0.00005')).toBe(1);
    expect(parseMoneyE4('0.00004999')).toBe(0);
    expect(parseMoneyE4('-0.00005')).toBe(-1);
    expect(parseMoneyE4('9.99995')).toBe(100_000);
  });

  test('no float drift: 0.1 + 0.2 style values stay exact', () => {
    expect((parseMoneyE4('0.1') ?? 0) + (parseMoneyE4('0.2') ?? 0)).toBe(parseMoneyE4('0.3'));
  });

  test('equals exact decimal rounding (BigInt oracle) on any plain decimal', () => {
    const oracle = (sign: string, whole: string, frac: string): number => {
      const scaled =
        BigInt((whole || '0') + frac.slice(0, 4).padEnd(4, '0')) +
        ((frac.charCodeAt(4) || 0) >= 0x35 ? 1n : 0n);
      return Number(sign === '-' ? -scaled : scaled) || 0;
    };
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), digits(9), digits(12), (sign, whole, frac) => {
        fc.pre(whole !== '' || frac !== '');
        expect(parseMoneyE4(`${sign}${whole}.${frac}`)).toBe(oracle(sign, whole, frac));
        if (whole !== '') expect(parseMoneyE4(`${sign}${whole}`)).toBe(oracle(sign, whole, ''));
      }),
      { numRuns: 1000 },
    );
  });

  test.each(['', ' ', '-', '.', '1e3', '1,000.00', 'abc', '1.2.3', '99999999999999999999'])(
    '%j → null',
    (text) => expect(parseMoneyE4(text)).toBeNull(),
  );
});

describe('parseDecimal', () => {
  test('numbers as numbers, null when empty or not a number', () => {
    expect(parseDecimal('3.000')).toBe(3);
    expect(parseDecimal('-1.500')).toBe(-1.5);
    expect(parseDecimal('-0')).toBe(0);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('x')).toBeNull();
    expect(parseDecimal('1e3')).toBeNull();
  });
});
