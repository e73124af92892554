/**
 * How the legacy script wrote single fields (spec/legacy-combine.md "Excel
 * text wrapping" and the appended columns). It joined fields with bare commas
 * and never escaped; we escape only what would otherwise break the line (a
 * comma, quote or line break inside a value, which can only come from a
 * properly parsed quoted input field), so every well-formed input renders
 * exactly as before and nothing renders as a broken CSV line.
 */

/**
 * Whether a value is written as an Excel text formula so spreadsheets keep
 * its leading zeros: at least 2 characters, starting with `0`, unless it looks
 * like a decimal (`0.000`), a time (`07:25`) or a date (`0202-...`).
 */
export function needsExcelWrap(value: string): boolean {
  return (
    value.length >= 2 &&
    value.charCodeAt(0) === ZERO &&
    value.charCodeAt(1) !== DOT &&
    value.charCodeAt(2) !== COLON &&
    value.charCodeAt(4) !== DASH
  );
}

/** `00250455` → `"=""00250455"""`; anything else as a plain field. */
export function excelField(value: string): string {
  return needsExcelWrap(value) ? excelFormula(value) : plainField(value);
}

/**
 * `="value"` as a CSV field. DEP_CODE is always written this way, even when
 * empty (`"="""""`). A quote inside the value is doubled once for the
 * formula's string literal and once more for CSV.
 */
export function excelFormula(value: string): string {
  return `"=""${value.includes('"') ? value.replaceAll('"', '""""') : value}"""`;
}

/** A name the legacy script wrapped in plain quotes: `"CRISPY 1PC"`. */
export function quotedField(value: string): string {
  return `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
}

/** A value the legacy script wrote bare; quoted only when it would break the line. */
export function plainField(value: string): string {
  return NEEDS_QUOTES.test(value) ? quotedField(value) : value;
}

/**
 * The key the legacy script looked departments up with: the written DEP_CODE
 * column with `="` and every `"` removed, trimmed.
 */
export function unwrapWrittenCode(written: string): string {
  return written.replaceAll('="', '').replaceAll('"', '').trim();
}

const ZERO = 0x30;
const DOT = 0x2e;
const COLON = 0x3a;
const DASH = 0x2d;
const NEEDS_QUOTES = /[",\r\n]/;

/** `excelField` of a value known to hold no quote, comma or line break (a column of a `plain` line). */
export function excelFieldOfPlain(value: string): string {
  return needsExcelWrap(value) ? `"=""${value}"""` : value;
}
