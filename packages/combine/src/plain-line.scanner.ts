import { isAscii } from 'node:buffer';

/**
 * The usual line of a POS export read on its bytes: *plain* (ASCII, no quote,
 * no CR), so its columns are simply what lies between its commas, exactly as
 * `CsvLineFields` reads them, and need no escaping when written.
 */

/**
 * The columns of a plain line (`buf[start, end)`): column k is
 * `buf[starts[k], ends[k])` for k below the count returned (all the line's
 * columns, at most `maxFields`: `CsvLineFields`' `length`); the columns after
 * it, up to `maxFields`, are set empty. -1 when the line is not plain: a
 * quote, CR or non-ASCII byte anywhere in it.
 */
export function scanPlainLine(
  buf: Buffer,
  start: number,
  end: number,
  starts: Int32Array,
  ends: Int32Array,
  maxFields: number,
): number {
  let n = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const kind = BYTE_KIND[buf[i] as number] as number;
    if (kind === 0) continue;
    if (kind === BAD) return -1;
    if (n < maxFields) {
      starts[n] = from;
      ends[n++] = i;
      from = i + 1;
    }
  }
  if (n < maxFields) {
    starts[n] = from;
    ends[n++] = end;
  }
  clearColumns(starts, ends, n, maxFields);
  return n;
}

/**
 * `scanPlainLine` for a line already known to be plain (see `isPlainBatch`):
 * only its commas are looked for, up to the last column wanted.
 */
export function scanPlainColumns(
  buf: Buffer,
  start: number,
  end: number,
  starts: Int32Array,
  ends: Int32Array,
  maxFields: number,
): number {
  let n = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    if (buf[i] === COMMA) {
      starts[n] = from;
      ends[n++] = i;
      if (n === maxFields) return n;
      from = i + 1;
    }
  }
  starts[n] = from;
  ends[n++] = end;
  clearColumns(starts, ends, n, maxFields);
  return n;
}

/** Columns `n` up to `maxFields` set empty (what `CsvLineFields` gives past a line's last column). */
function clearColumns(starts: Int32Array, ends: Int32Array, n: number, maxFields: number): void {
  starts.fill(0, n, maxFields);
  ends.fill(0, n, maxFields);
}

/**
 * Whether every line of a batch (`readByteLines`) is plain, found natively
 * for the whole batch at once: ASCII, no quote, and no CR but those that
 * ended a line (already cut off). Its lines can then be read with
 * `scanPlainColumns`; otherwise each is checked by `scanPlainLine`.
 */
export function isPlainBatch(
  buf: Buffer,
  count: number,
  starts: Int32Array,
  ends: Int32Array,
  used: number,
): boolean {
  if (count === 0) return true;
  // From the first line's start: a leading BOM is not part of it.
  const lines = buf.subarray(starts[0], used);
  if (!isAscii(lines) || lines.indexOf(QUOTE) !== -1) return false;
  let crs = 0;
  for (let i = lines.indexOf(CR); i !== -1; i = lines.indexOf(CR, i + 1)) crs++;
  if (crs === 0) return true;
  let cut = 0;
  for (let k = 0; k < count; k++) if (buf[ends[k] as number] === CR) cut++;
  return crs === cut;
}

/** Per byte value: 0 for most, 1 for a comma, BAD for what makes a line not plain. */
const BAD = 2;
const BYTE_KIND = new Uint8Array(256).map((_, b) =>
  b === 0x2c ? 1 : b === 0x22 || b === 0x0d || b >= 0x80 ? BAD : 0,
);

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
