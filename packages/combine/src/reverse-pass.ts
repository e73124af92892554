import type { CombineReport } from './combine-group.js';
import { decodeLine } from './byte-lines.reader.js';
import { CsvLineFields, type RowFields } from './csv-line.parser.js';
import { LegacyBytesWriter } from './legacy-bytes.writer.js';
import { FORWARD_FIELDS, type RowContext } from './legacy-row.builder.js';
import { FIELD_SLOTS, type LineSegment, type ReverseLineBuffer } from './reverse-line.buffer.js';

// The reverse pass of `combineGroup` (combine-group.ts): the kept lines, last first, as rows or legacy bytes.

/** Bytes of legacy lines handed out at a time by `legacyBytes()`. */
const LEGACY_PIECE_BYTES = 64 * 1024;

export type RowBuilder<T> = (fields: RowFields, line: number, ctx: RowContext) => T;

/**
 * Reverse pass: kept lines last-first, built into rows (parsing again is
 * cheaper than holding rows). Only the forward pass's columns are parsed:
 * rows use none beyond TRANSNO, and a kept line has no unclosed quote.
 */
export async function* replayRows<T>(
  buffer: ReverseLineBuffer,
  ctx: RowContext,
  build: RowBuilder<T>,
  batchSize: number,
  report: CombineReport,
): AsyncGenerator<T[]> {
  let batch: T[] = [];
  const fields = new CsvLineFields();
  for await (const { bytes, count, numbers, starts, ends } of buffer.segmentsLastFirst()) {
    for (let i = count - 1; i >= 0; i--) {
      const text = decodeLine(bytes, starts[i] as number, ends[i] as number);
      batch.push(build(fields.read(text, FORWARD_FIELDS), numbers[i] as number, ctx));
      if (batch.length >= batchSize) {
        report.rows += batch.length;
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) {
    report.rows += batch.length;
    yield batch;
  }
}

/** Reverse pass for `legacyBytes()`: the kept lines' legacy lines written on their bytes, ~64 KiB at a time. */
export async function* replayBytes(
  buffer: ReverseLineBuffer,
  ctx: RowContext,
  report: CombineReport,
): AsyncGenerator<Uint8Array> {
  const writer = new LegacyBytesWriter(ctx);
  try {
    for await (const segment of buffer.segmentsLastFirst()) {
      for (let i = segment.count - 1; i >= 0; ) {
        i = writeLinesBackwards(writer, segment, i, report);
        if (writer.length >= LEGACY_PIECE_BYTES) yield writer.take();
      }
    }
    if (writer.length > 0) yield writer.take();
  } finally {
    writer.release();
  }
}

/** Lines `i`, `i - 1`, ... of a segment until the writer holds a piece: the index left to write next (-1: none). */
function writeLinesBackwards(
  writer: LegacyBytesWriter,
  segment: LineSegment,
  from: number,
  report: CombineReport,
): number {
  const { bytes, starts, ends, fields } = segment;
  let i = from;
  for (; i >= 0 && writer.length < LEGACY_PIECE_BYTES; i--) {
    writer.line(bytes, starts[i] as number, ends[i] as number, fields, i * FIELD_SLOTS);
    report.rows++;
  }
  return i;
}
