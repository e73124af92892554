import type { DroppedRow } from '@posflow/contracts';
import { hashBytes, hashText, sameBytes } from './byte-key.js';
import { decodeLine, readByteLines, type ByteLineBatch } from './byte-lines.reader.js';
import type { CombineReport, GroupFile } from './combine-group.js';
import { CsvLineFields } from './csv-line.parser.js';
import { PlainLineCheck } from './legacy-bytes.writer.js';
import { excelField, excelFieldOfPlain, needsExcelWrap } from './legacy-field.renderer.js';
import { C, FORWARD_FIELDS, loyaltyKeyOf, rowProblem, type RowContext } from './legacy-row.builder.js';
import { isPlainBatch, scanPlainColumns, scanPlainLine } from './plain-line.scanner.js';
import type { ReverseLineBuffer } from './reverse-line.buffer.js';

// The forward pass of `combineGroup` (combine-group.ts): the rd5000 read once, first line first.

/** Beyond this many distinct TRANSNOs (a multi-GB rd5000) the key set would cost more memory than the whole loyalty map. */
const MAX_LOYALTY_KEYS = 100_000;

/** Beyond this many distinct item codes the whole rd5500 is read into the products table. */
const MAX_ITEM_CODES = 100_000;

/** What the forward pass learnt the rows will look up. */
export interface Wanted {
  /** TRANSNOs (loyalty is looked up with them); undefined when too many to be worth filtering on. */
  loyaltyKeys: Set<string> | undefined;
  /** `hashText` of the item codes as written (the products key); undefined when not asked for or too many. */
  itemCodes: Set<number> | undefined;
}

/**
 * Forward pass: drops are decided (and reported in line order) here; kept
 * lines wait in the buffer, as bytes. The usual line (ASCII, no quote, no
 * CR) is checked on its bytes (`PlainLineCheck`); any other line, and any
 * line that check refuses, goes through `rowProblem` on its text, which has
 * the last word and gives the reason. Returns the keys the kept rows will
 * look up.
 */
export async function readKeptLines(
  file: GroupFile,
  ctx: RowContext,
  buffer: ReverseLineBuffer,
  report: CombineReport,
  drop: (row: DroppedRow) => void,
  collectItemCodes: boolean,
): Promise<Wanted> {
  const pass = new ForwardPass(file.name, ctx, buffer, report, drop, collectItemCodes);
  for await (const batch of readByteLines(file.open())) {
    pass.batch(batch);
    if (buffer.full) await buffer.spill();
  }
  return pass.wanted;
}

/** The forward pass over one batch of lines at a time (synchronous: the loop is compiled on its own). */
class ForwardPass {
  readonly wanted: Wanted;
  private readonly fields = new CsvLineFields();
  private readonly check: PlainLineCheck;
  private readonly starts = new Int32Array(FORWARD_FIELDS);
  private readonly ends = new Int32Array(FORWARD_FIELDS);
  /** A transaction's rows are next to each other: its TRANSNO is added once. */
  private lastKey: string | null = null;

  constructor(
    private readonly fileName: string,
    private readonly ctx: RowContext,
    private readonly buffer: ReverseLineBuffer,
    private readonly report: CombineReport,
    private readonly drop: (row: DroppedRow) => void,
    collectItemCodes: boolean,
  ) {
    this.check = new PlainLineCheck(ctx);
    this.wanted = { loyaltyKeys: new Set(), itemCodes: collectItemCodes ? new Set() : undefined };
  }

  batch(batch: ByteLineBatch): void {
    const { buf, firstLine, count } = batch;
    const { starts, ends, buffer, wanted } = this;
    const keys = wanted.loyaltyKeys;
    const codes = wanted.itemCodes;
    const base = buffer.append(buf, 0, batch.used);
    const plain = isPlainBatch(buf, count, batch.starts, batch.ends, batch.used);
    for (let k = 0; k < count; k++) {
      const line = firstLine + k;
      const start = batch.starts[k] as number;
      const end = batch.ends[k] as number;
      if (line === 1 && isHeader(buf, start, end)) continue;
      this.report.dataLines++;
      const n = plain
        ? scanPlainColumns(buf, start, end, starts, ends, FORWARD_FIELDS)
        : scanPlainLine(buf, start, end, starts, ends, FORWARD_FIELDS);
      if (n >= 0 && this.check.accepts(buf, starts, ends, n)) {
        buffer.push(line, base + start, base + end, ends, n, start);
        const ks = starts[C.TRANSNO] as number;
        const ke = ends[C.TRANSNO] as number;
        if (keys !== undefined && (this.lastKey === null || !sameBytes(this.lastKey, buf, ks, ke))) {
          this.lastKey = buf.toString('latin1', ks, ke);
          keys.add(this.lastKey);
        }
        if (codes !== undefined) {
          const cs = starts[C.ITE_CODE] as number;
          const ce = ends[C.ITE_CODE] as number;
          codes.add(
            wrapsAt(buf, cs, ce)
              ? hashText(excelFieldOfPlain(buf.toString('latin1', cs, ce)))
              : hashBytes(buf, cs, ce),
          );
        }
        continue;
      }
      this.slowLine(buf, line, start, end, base);
    }
    if (keys !== undefined && keys.size > MAX_LOYALTY_KEYS) wanted.loyaltyKeys = undefined;
    if (codes !== undefined && codes.size > MAX_ITEM_CODES) wanted.itemCodes = undefined;
  }

  /** A line that is not plain, or that the byte check refused: `rowProblem` on its text decides (and says why). */
  private slowLine(buf: Buffer, line: number, start: number, end: number, base: number): void {
    const text = decodeLine(buf, start, end);
    const fields = this.fields;
    // A line with a quote is read whole to catch an unclosed one.
    fields.read(text, FORWARD_FIELDS, true);
    const problem = rowProblem(fields, fields.unterminated, this.ctx);
    if (problem !== null) {
      this.drop({ reason: problem.reason, file: this.fileName, line, raw: text, detail: problem.detail });
      return;
    }
    this.buffer.push(line, base + start, base + end);
    this.lastKey = loyaltyKeyOf(fields);
    this.wanted.loyaltyKeys?.add(this.lastKey);
    this.wanted.itemCodes?.add(hashText(excelField(fields.get(C.ITE_CODE))));
  }
}

/** Line 1 starting `STORE_NUM,` is the header. */
function isHeader(buf: Buffer, start: number, end: number): boolean {
  return (
    end - start >= HEADER_START.length &&
    HEADER_START.equals(buf.subarray(start, start + HEADER_START.length))
  );
}

const HEADER_START = Buffer.from('STORE_NUM,', 'latin1');

/** `needsExcelWrap` of an ASCII byte range. */
function wrapsAt(buf: Buffer, start: number, end: number): boolean {
  return end - start >= 2 && buf[start] === 0x30 && needsExcelWrap(buf.toString('latin1', start, end));
}
