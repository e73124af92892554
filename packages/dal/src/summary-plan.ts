import type { RollupDimension, SalesGroup } from '@posflow/contracts';

/** Which field of a summary a report groups by: the entry key, or the date/weekday/branch of a `day` entry. */
export type SummaryGroupField = 'key' | 'date' | 'weekday' | 'branch' | null;

/** Which summary dimension and field a report grouping reads (weekday and branch read the `day` summaries). */
export function summarySource(groupBy: SalesGroup): {
  dim: RollupDimension;
  field: Exclude<SummaryGroupField, null>;
} {
  switch (groupBy) {
    case 'day':
      return { dim: 'day', field: 'date' };
    case 'weekday':
      return { dim: 'day', field: 'weekday' };
    case 'branch':
      return { dim: 'day', field: 'branch' };
    case 'hour':
    case 'daypart':
    case 'department':
    case 'product':
    case 'category':
    case 'payment':
    case 'discount':
      return { dim: groupBy, field: 'key' };
  }
}

/** `YYYY-MM-DD` plus `n` days (business dates are calendar dates: UTC arithmetic, no time zone). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Last date of a `YYYY-MM` month. */
export function lastDayOfMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Every date of a calendar month. */
export function monthDays(ym: string): string[] {
  const out: string[] = [];
  for (let d = `${ym}-01`; d.startsWith(ym); d = addDays(d, 1)) out.push(d);
  return out;
}

/** Day of the week of a date, `0` (Sunday) to `6`, as reports key it. */
export function weekdayOf(date: string): string {
  return String(new Date(`${date}T00:00:00Z`).getUTCDay());
}

/** The calendar years a range touches, ascending. */
export function yearsOf(from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) out.push(y);
  return out;
}

/** Dates of a range split into whole calendar months and the loose days at either end. */
export function splitRange(from: string, to: string): { months: string[]; days: string[] } {
  const months: string[] = [];
  const days: string[] = [];
  for (let d = from; d <= to; ) {
    const ym = d.slice(0, 7);
    const last = lastDayOfMonth(ym);
    if (d.endsWith('-01') && last <= to) {
      months.push(ym);
      d = addDays(last, 1);
    } else {
      days.push(d);
      d = addDays(d, 1);
    }
  }
  return { months, days };
}

/** Where a report reads each part of its range. */
export interface SummaryReadPlan {
  /** Whole months: the month summaries (one `{dim, year}` read per year). */
  months: string[];
  /** Months whose loose days come from the day summaries (one read of the month's collection each). */
  dayMonths: string[];
  /** Dates of pending months, read from their partition summaries (one `{dim, date}` read each). */
  dates: string[];
}

/**
 * Splits a range into summary reads. A month with a pending rebuild (in
 * `pending`, a load's dirty mark) is read date by date from the partition
 * summaries, so a report never lags a finished load. Otherwise whole months
 * come from the month summaries and the loose days of a cut month from its
 * day summaries, or date by date when the month has none yet (in
 * `withoutDays`: summarised before day summaries existed, rebuild pending).
 */
export function planSummaryReads(
  from: string,
  to: string,
  pending: ReadonlySet<string>,
  withoutDays: ReadonlySet<string> = new Set(),
): SummaryReadPlan {
  const split = splitRange(from, to);
  const plan: SummaryReadPlan = { months: [], dayMonths: [], dates: [] };
  for (const ym of split.months) {
    if (pending.has(ym)) plan.dates.push(...monthDays(ym));
    else plan.months.push(ym);
  }
  const loose = new Map<string, string[]>();
  for (const d of split.days) loose.set(d.slice(0, 7), [...(loose.get(d.slice(0, 7)) ?? []), d]);
  for (const [ym, days] of loose) {
    if (pending.has(ym) || withoutDays.has(ym)) plan.dates.push(...days);
    else plan.dayMonths.push(ym);
  }
  plan.dates.sort();
  return plan;
}

/** When a dirty month is rebuilt: after its loads pause, and no later than a bound while they go on. */
export interface RebuildPolicy {
  /** Rebuild once no load has marked the month for this long (0: at the first pass). */
  quietMs: number;
  /** ... or once its oldest mark is this old, even while loads go on. */
  maxLagMs: number;
}

/** Rebuild at every pass (tests, seeds, one-off rebuilds). */
export const REBUILD_NOW: RebuildPolicy = { quietMs: 0, maxLagMs: 0 };

/**
 * The dirty marks due for a rebuild under `policy` at `now`, grouped by
 * month then branch (each with the ids of the marks the rebuild removes);
 * months in ascending order. A backfill marks the months it loads every few
 * seconds: rebuilding them at every pass would rebuild each month hundreds
 * of times while it fills, and reports are right without it (their pending
 * dates are read from partition summaries).
 */
export function dueMonths(
  marks: readonly { _id: string; branch: string; ym: string; at: Date }[],
  policy: RebuildPolicy,
  now: Date,
): Map<string, Map<string, string[]>> {
  const groups = new Map<
    string,
    { branch: string; ym: string; ids: string[]; first: number; last: number }
  >();
  for (const m of marks) {
    const key = `${m.branch}|${m.ym}`;
    const at = m.at.getTime();
    const g = groups.get(key);
    if (!g) groups.set(key, { branch: m.branch, ym: m.ym, ids: [m._id], first: at, last: at });
    else {
      g.ids.push(m._id);
      g.first = Math.min(g.first, at);
      g.last = Math.max(g.last, at);
    }
  }
  const out = new Map<string, Map<string, string[]>>();
  const t = now.getTime();
  for (const g of [...groups.values()].sort((a, b) => (a.ym < b.ym ? -1 : a.ym > b.ym ? 1 : 0))) {
    // A bound of 0 means due whatever the marks' clocks say (they may run ahead of ours).
    const quiet = policy.quietMs <= 0 || t - g.last >= policy.quietMs;
    const late = policy.maxLagMs <= 0 || t - g.first >= policy.maxLagMs;
    if (!quiet && !late) continue;
    let byBranch = out.get(g.ym);
    if (!byBranch) out.set(g.ym, (byBranch = new Map<string, string[]>()));
    byBranch.set(g.branch, g.ids);
  }
  return out;
}
