import type { SalesReport } from '@posflow/contracts';
import { DAYPARTS } from './dayparts.js';
import { addDays, hourLabel, money, quantity as qty, integer } from './format.js';

/** Report → chart data (pure, unit-tested). Money is carried as E4 integers and shown as pesos. */

export const pesos = (e4: number) => e4 / 10_000;

export interface DaySeries {
  dates: string[];
  current: (number | null)[];
  previous: (number | null)[] | null;
}

/** One point per calendar day of [from, to], 0 where a day has no sales, previous year aligned. */
export function daySeries(report: SalesReport): DaySeries {
  const byKey = new Map(report.groups.map((g) => [g.key, g]));
  const dates: string[] = [];
  for (let d = report.from; d <= report.to; d = addDays(d, 1)) dates.push(d);
  // A last year with nothing loaded would draw a flat zero line that reads as "no sales".
  const compare = report.previousTotal !== undefined && report.previousTotal.salesE4 !== 0;
  return {
    dates,
    current: dates.map((d) => pesos(byKey.get(d)?.salesE4 ?? 0)),
    previous: compare
      ? dates.map((d) => (byKey.has(d) ? pesos(byKey.get(d)?.previous?.salesE4 ?? 0) : null))
      : null,
  };
}

type Group = SalesReport['groups'][number];

/** Tooltip lines for a group: sales, quantity, TC, AC and last year's sales. */
export function groupDetails(g: Group): string[] {
  const lines = [
    `Sales ${money(g.sales)}`,
    `Qty ${qty(g.quantity)}`,
    `TC ${integer(g.tc)}`,
    `AC ${money(g.ac)}`,
  ];
  if (g.previous) lines.push(`Last year ${money(g.previous.sales)}`);
  return lines;
}

export function groupLabel(groupBy: SalesReport['groupBy'], key: string): string {
  if (groupBy === 'hour') return hourLabel(key);
  return key === '' ? '(none)' : key;
}

/** Hours of a day 0..23 in order, filling the hours without sales (a flat day reads better than gaps). */
export function hourGroups(report: SalesReport): Group[] {
  const byKey = new Map(report.groups.map((g) => [g.key, g]));
  const zero = { sales: '0', salesE4: 0, quantity: 0, tc: 0, ac: null };
  const hours = [...Array(24).keys()].map(String);
  const extra = report.groups.filter((g) => !hours.includes(g.key));
  const filled = hours.map((h) => byKey.get(h) ?? { key: h, ...zero });
  // Trim the silent hours before opening and after closing.
  let first = filled.findIndex((g) => g.salesE4 !== 0);
  let last = filled.length - 1 - [...filled].reverse().findIndex((g) => g.salesE4 !== 0);
  if (first < 0) return extra;
  first = Math.max(0, first);
  last = Math.min(filled.length - 1, last);
  return [...filled.slice(first, last + 1), ...extra];
}

/** Dayparts in the order of the day (the API sorts them by name). */
export function daypartGroups(report: SalesReport): Group[] {
  const rank = (k: string) => {
    const i = (DAYPARTS as readonly string[]).indexOf(k);
    return i < 0 ? DAYPARTS.length : i;
  };
  return [...report.groups].sort((a, b) => rank(a.key) - rank(b.key));
}
