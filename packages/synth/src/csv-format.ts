/**
 * How the two POS builds write values. Classic: fixed three decimals
 * (`149.000`), zero-padded counters. New: Python float repr of values rounded
 * to four decimals (`106.4286`, `195.0`), bare integers for quantity/price.
 */

/** Classic money and quantities: `149.000`, `-17.680`. */
export function fixed3(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return (Object.is(r, -0) ? 0 : r).toFixed(3);
}

/** Python `repr(round(x, 4))`: shortest round-trip digits, always with a dot. */
export function pyFloat4(n: number): string {
  const r = Math.round(n * 10_000) / 10_000;
  const s = String(Object.is(r, -0) ? 0 : r);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Python `repr(x)` of an unrounded float (rd5500 tax columns of the new build). */
export function pyFloat(n: number): string {
  const s = String(n);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** `%g`-like six significant digits used inside the new build's FULL column. */
export function sig6(n: number): string {
  return String(Number(n.toPrecision(6)));
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** RFC 4180 quoting, only when needed, as the real rd5500 does (`"EXT""E BURGER"`). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** Excel-wrapped text as the loyalty log writes it: `"=""00019702"""`. */
export function excelWrapped(value: string): string {
  return `"=""${value}"""`;
}
