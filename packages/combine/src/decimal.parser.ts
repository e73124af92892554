const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * A decimal string as integer ten-thousandths (`"255.360"` → 2553600), built
 * from the digits, never through a float, so sums stay exact. More than four
 * decimals (new-format files write values like `88.39285714285714`) are
 * rounded half away from zero on the fifth decimal: the same as rounding the
 * exact decimal value to 4 places. Null when empty, not a plain decimal
 * (exponents, thousands separators, text) or too large to stay exact.
 */
export function parseMoneyE4(text: string): number | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const whole = m[2] ?? '';
  const frac = m[3] ?? '';
  if (whole === '' && frac === '') return null;
  const digits = (whole === '' ? '0' : whole) + frac.slice(0, 4).padEnd(4, '0');
  let value = Number(digits);
  if (frac.length > 4 && frac.charCodeAt(4) >= 0x35) value += 1;
  if (!Number.isSafeInteger(value)) return null;
  // `-0` would serialise as 0 but compare oddly in tests: normalise it.
  return m[1] === '-' && value !== 0 ? -value : value;
}

/** A plain decimal as a number (quantities: `3.000` → 3); null when empty or not a number. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  const m = DECIMAL.exec(t);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return null;
  const value = Number(t);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value;
}
