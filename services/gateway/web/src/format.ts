/** Display formatting. Pure functions (unit-tested); the API's money strings are exact decimals. */

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "12345.6789" → "12,345.68" (rounded half away from zero on the string, no float drift). */
export function money(decimal: string | null | undefined, places = 2): string {
  if (decimal === null || decimal === undefined || decimal === '') return '–';
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const sign = m[1] ?? '';
  const intPart = m[2] || '0';
  const frac = (m[3] ?? '').padEnd(places + 1, '0');
  let scaled = BigInt(intPart + frac.slice(0, places));
  if (Number(frac[places]) >= 5) scaled += 1n;
  const s = scaled.toString().padStart(places + 1, '0');
  const whole = s.slice(0, s.length - places);
  const cents = places > 0 ? `.${s.slice(s.length - places)}` : '';
  const negative = sign === '-' && scaled !== 0n;
  return `${negative ? '-' : ''}${groupThousands(whole)}${cents}`;
}

/** Ten-thousandths of a peso (integer) → "1,234.50". */
export function moneyE4(e4: number | null | undefined, places = 2): string {
  if (e4 === null || e4 === undefined) return '–';
  const neg = e4 < 0;
  const abs = Math.abs(Math.trunc(e4)).toString().padStart(5, '0');
  return money(`${neg ? '-' : ''}${abs.slice(0, -4)}.${abs.slice(-4)}`, places);
}

/** Compact axis label: 1234567 → "1.2M", 12345 → "12k". */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}B`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}
const trim = (n: number): string =>
  Math.abs(n) >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');

export function integer(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  const neg = n < 0;
  return (neg ? '-' : '') + groupThousands(String(Math.round(Math.abs(n))));
}

export function quantity(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return Number.isInteger(n) ? integer(n) : n.toFixed(2);
}

export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((part / whole) * 1000) / 10));
}

/** Change against last year: "+12.3%" / "-4.0%" / "" when there is no base. */
export function change(current: number, previous: number | undefined): string {
  if (previous === undefined || previous === 0) return '';
  const pct = ((current - previous) / Math.abs(previous)) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-02-09" → "Mon 9 Feb" (the business date as is: no time-zone shift). */
export function shortDate(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

export function dayOfMonth(iso: string): string {
  return String(Number(iso.slice(8, 10)));
}

export function monthLabel(iso: string): string {
  return `${MONTHS[Number(iso.slice(5, 7)) - 1] ?? '?'} ${iso.slice(0, 4)}`;
}

/** A timestamp (ISO string) as local "YYYY-MM-DD HH:MM". */
export function timestamp(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Date-only arithmetic on ISO strings (UTC, so no daylight-saving surprises). */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function monthBounds(yyyyMm: string): { from: string; to: string } {
  const [y, m] = yyyyMm.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${yyyyMm}-01`, to: `${yyyyMm}-${String(last).padStart(2, '0')}` };
}

export function todayIso(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

export function hourLabel(h: string): string {
  const n = Number(h);
  return Number.isInteger(n) && h !== '' ? `${String(n).padStart(2, '0')}:00` : h;
}
