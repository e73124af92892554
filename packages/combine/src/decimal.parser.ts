/**
 * A decimal string as integer ten-thousandths (`"255.360"` → 2553600), built
 * from the digits, never through a float, so sums stay exact. More than four
 * decimals (new-format files write values like `88.39285714285714`) are
 * rounded half away from zero on the fifth decimal: the same as rounding the
 * exact decimal value to 4 places. Null when empty, not a plain decimal
 * (exponents, thousands separators, text) or too large to stay exact.
 * Surrounding whitespace is ignored. A hand-written scan: it runs six times
 * per row.
 */
export function parseMoneyE4(raw: string): number | null {
  const text = hasOuterSpace(raw) ? raw.trim() : raw;
  const n = text.length;
  let i = 0;
  let negative = false;
  const sign = text.charCodeAt(0);
  if (sign === MINUS || sign === PLUS) {
    negative = sign === MINUS;
    i = 1;
  }
  let e4 = 0;
  let digits = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) break;
    e4 = e4 * 10 + d;
    digits++;
  }
  let decimals = 0;
  let roundUp = false;
  if (i < n && text.charCodeAt(i) === DOT) {
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return null;
      digits++;
      // The fifth decimal decides the rounding; later ones cannot change it for an exact value.
      if (decimals < 4) e4 = e4 * 10 + d;
      else if (decimals === 4) roundUp = d >= 5;
      decimals++;
    }
  }
  if (i < n || digits === 0) return null;
  e4 = e4 * (SCALE[Math.min(decimals, 4)] ?? 1) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(e4)) return null;
  return negative && e4 !== 0 ? -e4 : e4;
}

/** A plain decimal as a number (quantities: `3.000` → 3); null when empty or not a number. */
export function parseDecimal(raw: string): number | null {
  const text = hasOuterSpace(raw) ? raw.trim() : raw;
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value;
}

function hasOuterSpace(s: string): boolean {
  return (
    s.length > 0 &&
    (s.charCodeAt(0) <= SPACE ||
      s.charCodeAt(s.length - 1) <= SPACE ||
      s.charCodeAt(0) > 0x7f ||
      s.charCodeAt(s.length - 1) > 0x7f)
  );
}

const SCALE = [10_000, 1_000, 100, 10, 1];
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const ZERO = 0x30;
const DOT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;
const SPACE = 0x20;
