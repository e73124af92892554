import type { DropReason, DroppedRow, FileType, ParsedRow } from '@posflow/contracts';
import { hashBytes, hashText, sameBytes } from './byte-key.js';
import { decodeLine, readByteLines, type ByteLineBatch } from './byte-lines.reader.js';
import { CsvLineFields, type RowFields } from './csv-line.parser.js';
import {
  buildGroupLookups,
  buildLoyaltyLookup,
  buildProductLookup,
  type LookupFileType,
} from './group-lookups.builder.js';
import { LegacyBytesWriter, PlainLineCheck } from './legacy-bytes.writer.js';
import { excelField, excelFieldOfPlain, needsExcelWrap } from './legacy-field.renderer.js';
import {
  C,
  FORWARD_FIELDS,
  buildLegacyLine,
  buildRow,
  loyaltyKeyOf,
  rowContext,
  rowProblem,
  type RowContext,
} from './legacy-row.builder.js';
import type { ByteSource } from './line.reader.js';
import { isPlainBatch, scanPlainColumns, scanPlainLine } from './plain-line.scanner.js';
import type { LoyaltyLogCache } from './loyalty-log.cache.js';
import type { ReferenceData } from './reference-data.js';
import { FIELD_SLOTS, ReverseLineBuffer, type LineSegment } from './reverse-line.buffer.js';

/** One file of a group: its name (for reports) and its bytes, opened lazily so unused files cost nothing. */
export interface GroupFile {
  name: string;
  open: () => ByteSource;
}

export interface GroupInput {
  key: { branch: string; pos: number; date: string };
  /** At most one file per type (see `chooseExportFile` for re-sent duplicates). */
  files: Partial<Record<FileType, GroupFile>>;
}

export interface CombineOptions {
  reference: ReferenceData;
  /** Characters of kept rd5000 lines held in memory before spilling to a temp file (default 4 Mi). */
  spillThresholdChars?: number;
  tmpDir?: string;
  /** Called for every dropped row, in rd5000 line order, as it is found (stream them out for huge files). */
  onDrop?: (row: DroppedRow) => void;
  /** How many dropped rows the report keeps (all are counted and passed to `onDrop`); default 10,000. */
  maxDroppedKept?: number;
  /** Rows per batch handed out by `batches()` (default 1,024). */
  batchSize?: number;
  /** Loyalty logs seen before by this process: a branch's log grows day by day, only its new lines are read. */
  loyaltyCache?: LoyaltyLogCache;
}

export interface CombineReport {
  /** Output rows (rd5000 data lines that were not dropped). */
  rows: number;
  /** rd5000 lines read, the header line excluded: always `rows + droppedRows` (file-level entries aside). */
  dataLines: number;
  /** Every dropped row or file-level problem, up to `maxDroppedKept`, in line order. */
  dropped: DroppedRow[];
  droppedCount: number;
  droppedByReason: Partial<Record<DropReason, number>>;
  /** Lookup files the group did not have (their lookups were empty). */
  missingFiles: FileType[];
  /** Bytes written to the temp file (0: the group fitted in memory). */
  spilledBytes: number;
  /** True once `batches()`/`rows()` ran to the end. */
  complete: boolean;
}

export interface CombineRun {
  /** Filled in while the rows are read; complete when iteration ends. */
  readonly report: CombineReport;
  /** Output rows in legacy order (last rd5000 line first), in batches. Iterate once. */
  batches(): AsyncGenerator<ParsedRow[]>;
  /** The same rows one at a time. */
  rows(): AsyncGenerator<ParsedRow>;
  /**
   * Only the rows' legacy CSV lines (`ParsedRow.legacy`), in the same order
   * and batches, for a caller that writes the legacy file and nothing else:
   * the parsed columns are never built. Use instead of `batches()`, once.
   */
  legacyLines(): AsyncGenerator<string[]>;
  /**
   * The same legacy lines as UTF-8 bytes, `\n` after each, in pieces of
   * ~64 KiB (no header), for a caller that writes them straight to a file:
   * the usual ASCII line is read and written on its bytes, never decoded. A
   * piece is only valid until the next one is asked for. Use instead of
   * `batches()`, once.
   */
  legacyBytes(): AsyncGenerator<Uint8Array>;
}

/** Small enough that a 1 GB rd5000 stays well under 200 MB RSS, large enough that a normal day (~300 KB) never spills. */
const DEFAULT_SPILL_THRESHOLD = 4 * 1024 * 1024;

/** Beyond this many distinct TRANSNOs (a multi-GB rd5000) the key set would cost more memory than the whole loyalty map. */
const MAX_LOYALTY_KEYS = 100_000;

/** Beyond this many distinct item codes the whole rd5500 is read into the products table. */
const MAX_ITEM_CODES = 100_000;

/** Bytes of legacy lines handed out at a time by `legacyBytes()`. */
const LEGACY_PIECE_BYTES = 64 * 1024;

const LOOKUP_TYPES: readonly LookupFileType[] = ['rd5500', 'rd1800', 'discount', 'rd5800', 'rd5900', 'blpr'];

/**
 * Combines one (branch, pos, date) group into legacy rows
 * (spec/legacy-combine.md). Pure apart from the optional temp-file spill:
 * the caller hands over the files' bytes and the reference data and gets rows
 * and a report of every row not turned into output, with its reason.
 */
export function combineGroup(input: GroupInput, options: CombineOptions): CombineRun {
  const report: CombineReport = {
    rows: 0,
    dataLines: 0,
    dropped: [],
    droppedCount: 0,
    droppedByReason: {},
    missingFiles: LOOKUP_TYPES.filter((t) => input.files[t] === undefined),
    spilledBytes: 0,
    complete: false,
  };
  const maxKept = options.maxDroppedKept ?? 10_000;
  const drop = (row: DroppedRow): void => {
    report.droppedCount++;
    report.droppedByReason[row.reason] = (report.droppedByReason[row.reason] ?? 0) + 1;
    if (report.dropped.length < maxKept) report.dropped.push(row);
    options.onDrop?.(row);
  };

  /** Lookups, forward pass, then the reverse pass `replay` (given the complete context and the kept lines). */
  async function* run<T>(
    replay: (buffer: ReverseLineBuffer, ctx: RowContext) => AsyncGenerator<T>,
  ): AsyncGenerator<T> {
    const rd5000 = input.files.rd5000;
    if (rd5000 === undefined) {
      drop({
        reason: 'missing-rd5000',
        file: 'rd5000',
        line: 0,
        raw: '',
        detail: 'the group has no rd5000 file: no rows',
      });
      report.complete = true;
      return;
    }
    const newFormat = options.reference.newBranches.has(input.key.branch);
    // blpr waits for the forward pass: by then we know which of its keys the rows will look up. So do
    // the products, unless a new-format branch's forward pass needs them (a product without a
    // department code drops its row).
    const sources: Partial<Record<LookupFileType, ByteSource>> = {};
    for (const t of LOOKUP_TYPES) {
      const file = input.files[t];
      if (file !== undefined && t !== 'blpr' && (t !== 'rd5500' || newFormat)) sources[t] = file.open();
    }
    const lookups = await buildGroupLookups(sources, newFormat);
    const ctx = rowContext(input.key, lookups, options.reference);
    const buffer = new ReverseLineBuffer({
      thresholdChars: options.spillThresholdChars ?? DEFAULT_SPILL_THRESHOLD,
      tmpDir: options.tmpDir,
    });
    try {
      const wanted = await readKeptLines(rd5000, ctx, buffer, report, drop, !newFormat);
      const products = newFormat
        ? lookups.products
        : await buildProductLookup(input.files.rd5500?.open(), false, wanted.itemCodes);
      const blpr = input.files.blpr;
      const loyalty =
        blpr !== undefined && options.loyaltyCache !== undefined
          ? await options.loyaltyCache.lookup(
              blpr.open(),
              wanted.loyaltyKeys,
              `${input.key.branch}_${input.key.pos}`,
            )
          : await buildLoyaltyLookup(blpr?.open(), wanted.loyaltyKeys);
      ctx.lookups = { ...lookups, products, loyalty };
      report.spilledBytes = buffer.spilledBytes;
      yield* replay(buffer, ctx);
      report.complete = true;
    } finally {
      await buffer.dispose();
    }
  }

  const batchSize = options.batchSize ?? 1024;
  const batches = (): AsyncGenerator<ParsedRow[]> =>
    run((buffer, ctx) => replayRows(buffer, ctx, buildRow, batchSize, report));
  return {
    report,
    batches,
    async *rows() {
      for await (const batch of batches()) yield* batch;
    },
    legacyLines: () =>
      run((buffer, ctx) =>
        replayRows(buffer, ctx, (fields, _line, c) => buildLegacyLine(fields, c), batchSize, report),
      ),
    legacyBytes: () => run((buffer, ctx) => replayBytes(buffer, ctx, report)),
  };
}

/** What the forward pass learnt the rows will look up. */
interface Wanted {
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
async function readKeptLines(
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

type RowBuilder<T> = (fields: RowFields, line: number, ctx: RowContext) => T;

/**
 * Reverse pass: kept lines last-first, built into rows (parsing again is
 * cheaper than holding rows). Only the forward pass's columns are parsed:
 * rows use none beyond TRANSNO, and a kept line has no unclosed quote.
 */
async function* replayRows<T>(
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
async function* replayBytes(
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
