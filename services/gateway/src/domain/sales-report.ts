import type { SalesGroup, SalesReport } from '@posflow/contracts';
import { divideE4, formatE4 } from './money.js';
import { addDays, daysInclusive, previousYear } from './dates.js';

/** One `$group` result: sums over rollups for one key. */
export interface GroupSums {
  key: string;
  salesE4: number;
  quantity: number;
  receipts: number;
}

export function figures(s: Omit<GroupSums, 'key'>) {
  return {
    sales: formatE4(s.salesE4),
    salesE4: s.salesE4,
    quantity: s.quantity,
    tc: s.receipts,
    ac: divideE4(s.salesE4, s.receipts),
  };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Natural order: time-like groups by key, the others by sales (largest first). */
function sortGroups(groupBy: SalesGroup, rows: GroupSums[]): GroupSums[] {
  const numeric = groupBy === 'hour' || groupBy === 'weekday';
  if (groupBy === 'day' || numeric || groupBy === 'daypart')
    return [...rows].sort((a, b) => (numeric ? Number(a.key) - Number(b.key) : a.key.localeCompare(b.key)));
  return [...rows].sort((a, b) => b.salesE4 - a.salesE4 || a.key.localeCompare(b.key));
}

function total(rows: readonly GroupSums[]): Omit<GroupSums, 'key'> {
  // TC is additive across groups only for the `day` dimension (each receipt is in one day); for
  // others a receipt spans keys, so the total TC comes from the day rollups (dayTotals).
  return rows.reduce(
    (t, r) => ({ salesE4: t.salesE4 + r.salesE4, quantity: t.quantity + r.quantity, receipts: t.receipts + r.receipts }),
    { salesE4: 0, quantity: 0, receipts: 0 },
  );
}

/**
 * Shapes the report: formats figures, orders groups, applies `limit`, and
 * pairs each group with last year's figures (for `day`, the date a year
 * earlier). `totals` are the range totals read from the day rollups.
 */
export function buildSalesReport(args: {
  from: string;
  to: string;
  groupBy: SalesGroup;
  scope: 'all' | 'products';
  rows: GroupSums[];
  totals: GroupSums[];
  limit?: number | undefined;
  previous?: { rows: GroupSums[]; totals: GroupSums[] } | undefined;
}): SalesReport {
  const prevByKey = new Map<string, GroupSums>();
  if (args.previous) {
    for (const r of args.previous.rows) {
      // previous-year day keys are shifted forward so they meet this year's days
      const key = args.groupBy === 'day' ? sameDayNextYear(r.key, args.from, args.to) : r.key;
      if (key) prevByKey.set(key, r);
    }
  }
  let rows = sortGroups(args.groupBy, args.rows);
  if (args.limit) rows = rows.slice(0, args.limit);
  const groups = rows.map((r) => {
    const prev = prevByKey.get(r.key);
    return {
      key: args.groupBy === 'weekday' ? (WEEKDAYS[Number(r.key)] ?? r.key) : r.key,
      ...figures(r),
      ...(args.previous ? { previous: figures(prev ?? { salesE4: 0, quantity: 0, receipts: 0 }) } : {}),
    };
  });
  return {
    from: args.from,
    to: args.to,
    groupBy: args.groupBy,
    scope: args.scope,
    groups,
    total: figures(total(args.totals)),
    ...(args.previous ? { previousTotal: figures(total(args.previous.totals)) } : {}),
  };
}

/** The date in [from, to] whose previous-year date is `prevDate` (undefined when none). */
function sameDayNextYear(prevDate: string, from: string, to: string): string | undefined {
  const n = daysInclusive(from, to);
  for (let i = 0; i < n; i++) {
    const d = addDays(from, i);
    if (previousYear(d) === prevDate) return d;
  }
  return undefined;
}
