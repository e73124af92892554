/**
 * The 27 output columns: a format constant of the legacy CSV (tested equal to
 * fixtures/reference/aaa_headers.csv), not operator data.
 */
export const LEGACY_COLUMNS = [
  'POS',
  'OR',
  'ITEM CODE',
  'QUANTITY',
  'UNIT PRICE',
  'AMOUNT',
  'DISCOUNT',
  'DEPARTMENT CODE',
  'DATE',
  'TIME',
  'DISCOUNT CODE',
  'TYPE CODE',
  'VAT FLAG',
  'VAT DIV',
  'VAT AMOUNT',
  'VAT DISCOUNT',
  'VAT PRICE',
  'TRANSACTION NUMBER',
  'PRODUCT NAME',
  'DEPARTMENT NAME',
  'DISCOUNT NAME',
  'TRANSACTION TYPE',
  'DAYPART',
  'PAYMENT CODE',
  'PAYMENT NAME',
  'PHONE NUMBER',
  'BRANCH',
] as const;

/** The header line, without its newline. */
export const LEGACY_HEADER = LEGACY_COLUMNS.join(',');

type LegacyLine = string | { legacy: string };
type LegacyItem = LegacyLine | readonly LegacyLine[];

/**
 * A legacy combined CSV: the header line, then one line per row, each ending
 * in `\n`. Rows are taken in the order given (the combine engine already
 * yields them in legacy order), one at a time or in batches (`CombineRun.batches()`).
 * Streams ~64 KiB pieces, so a large export never sits in memory as one
 * string; see `renderLegacyCsvText` for small ones.
 */
export async function* renderLegacyCsv(
  rows: AsyncIterable<LegacyItem> | Iterable<LegacyItem>,
): AsyncGenerator<string> {
  yield `${LEGACY_HEADER}\n`;
  let piece = '';
  // for-await takes sync iterables too; the cast only stops TS typing the union's items as any.
  for await (const item of rows as AsyncIterable<LegacyItem>) {
    if (isBatch(item)) for (const row of item) piece += lineOf(row);
    else piece += lineOf(item);
    if (piece.length >= 65_536) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}

/** The whole legacy CSV as one string (tests, small partitions). */
export function renderLegacyCsvText(rows: Iterable<LegacyLine>): string {
  let out = `${LEGACY_HEADER}\n`;
  for (const row of rows) out += lineOf(row);
  return out;
}

function lineOf(row: LegacyLine): string {
  return `${typeof row === 'string' ? row : row.legacy}\n`;
}

function isBatch(item: LegacyItem): item is readonly LegacyLine[] {
  return Array.isArray(item);
}
