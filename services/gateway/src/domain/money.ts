/**
 * Exact decimal rendering of integer ten-thousandths (E4). Never through a
 * float: 1445000 → "144.50", 93333 → "9.3333", -5 → "-0.0005". At least
 * two decimals, trailing zeros beyond them trimmed.
 */
export function formatE4(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const neg = value < 0;
  const abs = BigInt(Math.abs(value));
  const int = abs / 10_000n;
  let frac = (abs % 10_000n).toString().padStart(4, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${neg ? '-' : ''}${int.toString()}.${frac}`;
}

/** `numE4 / den` rounded half away from zero to 4 decimals, rendered exactly; null when den is 0. */
export function divideE4(numE4: number, den: number): string | null {
  if (den === 0) return null;
  const n = BigInt(numE4);
  const d = BigInt(den);
  const q = (2n * n + (n >= 0n ? d : -d)) / (2n * d);
  return formatE4(Number(q));
}
