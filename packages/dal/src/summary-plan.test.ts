import { describe, expect, test } from 'vitest';
import {
  REBUILD_NOW,
  addDays,
  dueMonths,
  lastDayOfMonth,
  monthDays,
  planSummaryReads,
  splitRange,
  summarySource,
  weekdayOf,
  yearsOf,
} from './summary-plan.js';

describe('report dates', () => {
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
    expect(splitRange('2026-05-06', '2026-05-05')).toEqual({ months: [], days: [] });
  });

  test('calendar arithmetic across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
    expect(monthDays('2026-02')).toHaveLength(28);
    expect(monthDays('2026-01').at(-1)).toBe('2026-01-31');
    expect(weekdayOf('2026-02-09')).toBe('1'); // a Monday
    expect(yearsOf('2025-02-10', '2026-02-09')).toEqual([2025, 2026]);
    expect(yearsOf('2026-01-01', '2026-12-31')).toEqual([2026]);
  });

  test('weekday and branch groupings read the day summaries', () => {
    expect(summarySource('weekday')).toEqual({ dim: 'day', field: 'weekday' });
    expect(summarySource('branch')).toEqual({ dim: 'day', field: 'branch' });
    expect(summarySource('product')).toEqual({ dim: 'product', field: 'key' });
  });
});

describe('summary read plans', () => {
  const none = new Set<string>();

  test('a trailing year: whole months from month summaries, the two cut months from day summaries', () => {
    expect(planSummaryReads('2025-02-10', '2026-02-09', none)).toEqual({
      months: [
        '2025-03',
        '2025-04',
        '2025-05',
        '2025-06',
        '2025-07',
        '2025-08',
        '2025-09',
        '2025-10',
        '2025-11',
        '2025-12',
        '2026-01',
      ],
      dayMonths: ['2025-02', '2026-02'],
      dates: [],
    });
  });

  test('a month with a pending rebuild is read date by date, whole or cut', () => {
    const plan = planSummaryReads('2026-01-11', '2026-03-31', new Set(['2026-01', '2026-03']));
    expect(plan.months).toEqual(['2026-02']);
    expect(plan.dayMonths).toEqual([]);
    expect(plan.dates).toHaveLength(21 + 31);
    expect(plan.dates[0]).toBe('2026-01-11');
    expect(plan.dates.at(-1)).toBe('2026-03-31');
    // a month summarised before day summaries existed: whole, from its month summary; cut, date by date
    expect(planSummaryReads('2026-01-30', '2026-03-31', none, new Set(['2026-01', '2026-02']))).toEqual({
      months: ['2026-02', '2026-03'],
      dayMonths: [],
      dates: ['2026-01-30', '2026-01-31'],
    });
    // a pending month outside the range changes nothing
    expect(planSummaryReads('2026-02-01', '2026-02-28', new Set(['2026-01'])).months).toEqual(['2026-02']);
  });

  test('loose days of a month come from its day summaries, however few', () => {
    expect(planSummaryReads('2026-01-30', '2026-03-01', none)).toEqual({
      months: ['2026-02'],
      dayMonths: ['2026-01', '2026-03'],
      dates: [],
    });
    expect(planSummaryReads('2026-05-05', '2026-05-05', none)).toEqual({
      months: [],
      dayMonths: ['2026-05'],
      dates: [],
    });
  });
});

describe('dirty months due for a rebuild', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  const mark = (branch: string, ym: string, secondsAgo: number, pg = `${secondsAgo}`) => ({
    _id: `${branch}|${ym}|${pg}`,
    branch,
    ym,
    at: ago(secondsAgo),
  });
  const policy = { quietMs: 30_000, maxLagMs: 300_000 };

  test('a month still being loaded waits; a quiet one is due with every mark it had', () => {
    const due = dueMonths(
      [
        mark('B1', '2026-02', 5),
        mark('B1', '2026-02', 60),
        mark('B2', '2026-02', 45),
        mark('B2', '2026-02', 31),
      ],
      policy,
      now,
    );
    expect([...due.keys()]).toEqual(['2026-02']);
    expect(due.get('2026-02')).toEqual(new Map([['B2', ['B2|2026-02|45', 'B2|2026-02|31']]]));
  });

  test('a month loaded without a pause is due once its oldest mark reaches the bound', () => {
    const marks = [mark('B1', '2026-02', 299), mark('B1', '2026-02', 1)];
    expect(dueMonths(marks, policy, now).size).toBe(0);
    const late = [mark('B1', '2026-02', 300), mark('B1', '2026-02', 1)];
    expect(dueMonths(late, policy, now).get('2026-02')?.get('B1')).toHaveLength(2);
  });

  test('REBUILD_NOW takes every mark, months in ascending order', () => {
    const due = dueMonths(
      [mark('B1', '2026-03', 0), mark('B1', '2025-12', 0), mark('B2', '2026-01', 0)],
      REBUILD_NOW,
      now,
    );
    expect([...due.keys()]).toEqual(['2025-12', '2026-01', '2026-03']);
    // a mark stamped by a clock ahead of ours is still due
    expect(dueMonths([mark('B1', '2026-03', -5)], REBUILD_NOW, now).size).toBe(1);
  });
});
