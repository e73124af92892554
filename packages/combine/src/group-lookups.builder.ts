import { hashBytes, hashText } from './byte-key.js';
import { decodeLine, forEachByteLine, readByteLines } from './byte-lines.reader.js';
import { isPlainBatch, scanPlainColumns, scanPlainLine } from './plain-line.scanner.js';
import { CsvLineFields, csvFieldAt, parseCsvLine, type RowFields } from './csv-line.parser.js';
import { readLineBatches, type ByteSource } from './line.reader.js';
import { scanLoyaltyBytes, scanLoyaltyLog } from './loyalty-log.scanner.js';

export interface ProductEntry {
  name: string;
  /** New-format branches only: the department code, null when the rd5500 row has none. */
  departmentCode: string | null;
}

/** The six lookups a group's rd5000 rows are joined with (spec/legacy-combine.md "Lookup tables"). */
export interface GroupLookups {
  /** rd5500: product code → entry. */
  products: ReadonlyMap<string, ProductEntry>;
  /** rd1800: department code → name. */
  departments: ReadonlyMap<string, string>;
  /** discount: code → name. */
  discounts: ReadonlyMap<string, string>;
  /** rd5800: TRANSNO → PAYCODE of the transaction's first tender. */
  payments: ReadonlyMap<string, string>;
  /** rd5900: pay code → name. */
  paymentMethods: ReadonlyMap<string, string>;
  /** blpr: ORNO (unwrapped) → 11-character phone. */
  loyalty: ReadonlyMap<string, string>;
}

export type LookupFileType = 'rd5500' | 'rd1800' | 'discount' | 'rd5800' | 'rd5900' | 'blpr';

/**
 * Builds the lookups from whichever of the six files the group has (a missing
 * file leaves its lookups empty). Every row counts, the header row included
 * (a harmless legacy quirk: it maps e.g. `INCODE` → `ITE_DESC`); on a
 * repeated key the first row in file order wins, for products the whole row
 * (name and department code together). An empty key never matches (read off
 * the reference output: a refund's rd5000 line with no TRANSNO gets no
 * payment although rd5800 has a tender with an empty TRANSNO), so rows with
 * an empty key are left out.
 */
export async function buildGroupLookups(
  sources: Partial<Record<LookupFileType, ByteSource>>,
  newFormat: boolean,
  loyaltyKeys?: ReadonlySet<string>,
): Promise<GroupLookups> {
  const [products, departments, discounts, payments, paymentMethods, loyalty] = await Promise.all([
    buildProductLookup(sources.rd5500, newFormat),
    collectColumns(sources.rd1800, 0, 1),
    collectColumns(sources.discount, 0, 1),
    // rd5800: TRANSNO (20) → PAYCODE (11), rows with at least 21 columns.
    collectColumns(sources.rd5800, 20, 11),
    collectColumns(sources.rd5900, 0, 1),
    buildLoyaltyLookup(sources.blpr, loyaltyKeys),
  ]);
  return { products, departments, discounts, payments, paymentMethods, loyalty };
}

/**
 * rd5500 (products) for a group that already knows which item codes its rows
 * look up: `codes` holds their `hashText` (as written, the lookup key). The
 * same entries as the whole table for those codes (first row wins, the
 * header row counts), and perhaps a few more (a hash shared by another
 * code): a line is decoded only when its code's bytes hash to one of
 * `codes`, or when its code cannot be told on bytes (quoted or non-ASCII).
 * A day's rd5500 lists ~1,500 products, its rows use ~100: most lines are
 * never turned into strings. Without `codes`, the whole table.
 */
export async function buildProductLookup(
  source: ByteSource | undefined,
  newFormat: boolean,
  codes?: ReadonlySet<number>,
): Promise<Map<string, ProductEntry>> {
  const table = new Map<string, ProductEntry>();
  if (source === undefined) return table;
  for await (const { buf, count, starts, ends } of readByteLines(source)) {
    for (let k = 0; k < count; k++) {
      const start = starts[k] as number;
      const end = ends[k] as number;
      if (codes !== undefined && !mayBeProduct(buf, start, end, codes)) continue;
      const e = productLine(decodeLine(buf, start, end), newFormat);
      if (e === null || e[0] === '' || table.has(e[0])) continue;
      if (codes === undefined || codes.has(hashText(e[0]))) table.set(e[0], e[1]);
    }
  }
  return table;
}

/**
 * Column `keyColumn` → column `valueColumn` of every line that has both
 * (first row wins, empty keys left out): what `CsvLineFields` would read of
 * the line's first columns, read on the bytes of a plain line (ASCII, no
 * quote, no CR) and from the decoded text of any other.
 */
async function collectColumns(
  source: ByteSource | undefined,
  keyColumn: number,
  valueColumn: number,
): Promise<Map<string, string>> {
  const table = new Map<string, string>();
  if (source === undefined) return table;
  const columns = Math.max(keyColumn, valueColumn) + 1;
  const starts = new Int32Array(columns);
  const ends = new Int32Array(columns);
  const fields = new CsvLineFields();
  for await (const batch of readByteLines(source)) {
    const { buf, count } = batch;
    const plain = isPlainBatch(buf, count, batch.starts, batch.ends, batch.used);
    for (let k = 0; k < count; k++) {
      const start = batch.starts[k] as number;
      const end = batch.ends[k] as number;
      const n = plain
        ? scanPlainColumns(buf, start, end, starts, ends, columns)
        : scanPlainLine(buf, start, end, starts, ends, columns);
      let key: string;
      let value: string;
      if (n >= 0) {
        if (n < columns || ends[keyColumn] === starts[keyColumn]) continue;
        key = buf.toString('latin1', starts[keyColumn], ends[keyColumn]);
        if (table.has(key)) continue;
        value = buf.toString('latin1', starts[valueColumn], ends[valueColumn]);
      } else {
        fields.read(decodeLine(buf, start, end), columns);
        if (fields.length < columns) continue;
        key = fields.get(keyColumn);
        if (key === '' || table.has(key)) continue;
        value = fields.get(valueColumn);
      }
      table.set(key, value);
    }
  }
  return table;
}

/**
 * Whether an rd5500 line's code (column 0) may be one of `codes`: an unquoted
 * first column is the bytes up to the first comma (`parseCsvLine`), hashed;
 * a quoted or non-ASCII one is left to the exact rule. No comma: no entry.
 */
function mayBeProduct(buf: Buffer, start: number, end: number, codes: ReadonlySet<number>): boolean {
  if (start < end && buf[start] === 0x22) return true;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === 0x2c) return codes.has(hashBytes(buf, start, i));
    if (b >= 0x80) return true;
  }
  return false;
}

/**
 * blpr: ORNO → phone. The file is a cumulative loyalty log (about twenty
 * lines per rd5000 row on real days), so when the caller knows which keys it
 * will look up (`keys`, the group's TRANSNOs) only those are kept: the same
 * answers from a map of a few entries instead of tens of thousands.
 */
export function buildLoyaltyLookup(
  source: ByteSource | undefined,
  keys?: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const entry = fieldsUpTo(4, loyaltyEntry);
  if (keys === undefined) return collect(source, entry);
  return collectLoyalty(source, keys, entry);
}

/** `buildLoyaltyLookup` of a log held whole in one buffer, synchronously. */
export function loyaltyLookupOfBytes(bytes: Buffer, keys?: ReadonlySet<string>): Map<string, string> {
  const table = new Map<string, string>();
  const entry = fieldsUpTo(4, loyaltyEntry);
  const add = (line: string): void => {
    const e = entry(line);
    if (e !== null && e[0] !== '' && !table.has(e[0])) table.set(e[0], e[1]);
  };
  if (keys === undefined) forEachByteLine(bytes, (start, end) => add(decodeLine(bytes, start, end)));
  else
    scanLoyaltyBytes(bytes, keys, (line) => {
      if (keys.has(unwrapExcelText(csvFieldAt(line, 3) ?? ''))) add(line);
    });
  return table;
}

/** Most lines are rejected on their ORNO's bytes, never decoded; the few let through get the exact rule. */
async function collectLoyalty(
  source: ByteSource | undefined,
  keys: ReadonlySet<string>,
  entry: (line: string) => [string, string] | null,
): Promise<Map<string, string>> {
  const table = new Map<string, string>();
  if (source === undefined) return table;
  await scanLoyaltyLog(source, keys, (line) => {
    if (!keys.has(unwrapExcelText(csvFieldAt(line, 3) ?? ''))) return;
    const e = entry(line);
    if (e !== null && e[0] !== '' && !table.has(e[0])) table.set(e[0], e[1]);
  });
  return table;
}

/** A reader of blpr lines: line → [ORNO, phone] by the loyalty rule, or null (one per caller: it reuses its field buffer). */
export function loyaltyLineReader(): (line: string) => [string, string] | null {
  return fieldsUpTo(4, loyaltyEntry);
}

/** `="00019910"` (the blpr's Excel text formula) → `00019910`; other values unchanged. */
export function unwrapExcelText(value: string): string {
  return value.length >= 3 && value.startsWith('="') && value.endsWith('"') ? value.slice(2, -1) : value;
}

/**
 * rd5500 line → [code, entry]: the same as parsing its first 13 columns, but
 * a line without quotes (nearly all) is cut at its commas for just the 2-3
 * columns used: ~1,500 products a day, 13 columns each, were the costliest
 * lookup to build.
 */
export function productLine(line: string, newFormat: boolean): [string, ProductEntry] | null {
  if (line.includes('"')) {
    const f = parseCsvLine(line, 13).fields;
    return f.length >= 2 ? [f[0] as string, productEntry(f, newFormat)] : null;
  }
  const c1 = line.indexOf(',');
  if (c1 === -1) return null;
  const c2 = line.indexOf(',', c1 + 1);
  const code = line.slice(0, c1);
  const name = c2 === -1 ? line.slice(c1 + 1) : line.slice(c1 + 1, c2);
  if (!newFormat) return [code, { name, departmentCode: null }];
  // Column k starts after the k-th comma: column 12 when there are 12 commas, else column 3 after 3.
  let comma = c2;
  let third = -1;
  for (let k = 3; k <= 12 && comma !== -1; k++) {
    comma = line.indexOf(',', comma + 1);
    if (k === 3) third = comma;
  }
  const from = comma !== -1 ? comma : third;
  if (from === -1) return [code, { name, departmentCode: null }];
  const to = line.indexOf(',', from + 1);
  return [code, { name, departmentCode: to === -1 ? line.slice(from + 1) : line.slice(from + 1, to) }];
}

/** Department code: column 12 (`CATEG_ID`) on rows longer than 12 columns, else column 3, else none. */
function productEntry(f: string[], newFormat: boolean): ProductEntry {
  const name = f[1] as string;
  if (!newFormat) return { name, departmentCode: null };
  return { name, departmentCode: f[12] ?? f[3] ?? null };
}

/** Only rows whose phone is exactly 11 characters (a mobile number) are loyalty visits. */
function loyaltyEntry(f: RowFields): [string, string] | null {
  if (f.length <= 3) return null;
  const phone = f.get(1);
  return phone.length === 11 ? [unwrapExcelText(f.get(3)), phone] : null;
}

/**
 * An entry built from the first `maxFields` columns of a line (enough for it,
 * and most of the parse cost saved), cut only where the entry reads them.
 */
function fieldsUpTo<V>(
  maxFields: number,
  entry: (fields: RowFields) => [string, V] | null,
): (line: string) => [string, V] | null {
  const fields = new CsvLineFields();
  return (line) => entry(fields.read(line, maxFields));
}

async function collect<V>(
  source: ByteSource | undefined,
  entry: (line: string) => [string, V] | null,
): Promise<Map<string, V>> {
  const table = new Map<string, V>();
  if (source === undefined) return table;
  for await (const batch of readLineBatches(source)) {
    for (const line of batch.lines) {
      const e = entry(line);
      if (e !== null && e[0] !== '' && !table.has(e[0])) table.set(e[0], e[1]);
    }
  }
  return table;
}
