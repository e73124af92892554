/** Date-only arithmetic on `YYYY-MM-DD` strings (UTC math; business dates are never shifted by a zone). */

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` inclusive (0 or less when to < from). */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The business date in Asia/Manila (UTC+8, no DST) at `now`. */
export function manilaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Yesterday's business date in Asia/Manila: what the daily run fetches. */
export function manilaYesterday(now: Date): string {
  return addDays(manilaDate(now), -1);
}

/** The same calendar date a year earlier; Feb 29 maps to Feb 28. */
export function previousYear(date: string): string {
  const y = Number(date.slice(0, 4)) - 1;
  const md = date.slice(5);
  const candidate = `${y}-${md}`;
  return md === '02-29' && new Date(`${candidate}T00:00:00Z`).toISOString().slice(0, 10) !== candidate
    ? `${y}-02-28`
    : candidate;
}

/** Returns a message when the range is unusable, else null. */
export function rangeProblem(from: string, to: string, maxDays: number): string | null {
  if (from > to) return `from (${from}) is after to (${to})`;
  const days = daysInclusive(from, to);
  if (days > maxDays) return `range of ${days} days is over the limit of ${maxDays} days`;
  return null;
}
