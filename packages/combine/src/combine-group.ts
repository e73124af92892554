import type { DropReason, DroppedRow, FileType, ParsedRow } from '@posflow/contracts';
import { CsvLineFields, type RowFields } from './csv-line.parser.js';
import { buildGroupLookups, buildLoyaltyLookup, type LookupFileType } from './group-lookups.builder.js';
import {
  FORWARD_FIELDS,
  buildLegacyLine,
  buildRow,
  loyaltyKeyOf,
  rowContext,
  rowProblem,
  type RowContext,
} from './legacy-row.builder.js';
import { readLineBatches, type ByteSource } from './line.reader.js';
import type { LoyaltyLogCache } from './loyalty-log.cache.js';
import type { ReferenceData } from './reference-data.js';
import { ReverseLineBuffer } from './reverse-line.buffer.js';

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
}

/** Small enough that a 1 GB rd5000 stays well under 200 MB RSS, large enough that a normal day (~300 KB) never spills. */
const DEFAULT_SPILL_THRESHOLD = 4 * 1024 * 1024;

/** Beyond this many distinct TRANSNOs (a multi-GB rd5000) the key set would cost more memory than the whole loyalty map. */
const MAX_LOYALTY_KEYS = 100_000;

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

  async function* run<T>(build: RowBuilder<T>): AsyncGenerator<T[]> {
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
    // blpr waits for the forward pass: by then we know which of its keys the rows will look up.
    const sources: Partial<Record<LookupFileType, ByteSource>> = {};
    for (const t of LOOKUP_TYPES) {
      const file = input.files[t];
      if (file !== undefined && t !== 'blpr') sources[t] = file.open();
    }
    const lookups = await buildGroupLookups(sources, options.reference.newBranches.has(input.key.branch));
    const ctx = rowContext(input.key, lookups, options.reference);
    const buffer = new ReverseLineBuffer({
      thresholdChars: options.spillThresholdChars ?? DEFAULT_SPILL_THRESHOLD,
      tmpDir: options.tmpDir,
    });
    try {
      const loyaltyKeys = await readKeptLines(rd5000, ctx, buffer, report, drop);
      const blpr = input.files.blpr;
      const loyalty =
        blpr !== undefined && options.loyaltyCache !== undefined
          ? await options.loyaltyCache.lookup(
              blpr.open(),
              loyaltyKeys,
              `${input.key.branch}_${input.key.pos}`,
            )
          : await buildLoyaltyLookup(blpr?.open(), loyaltyKeys);
      ctx.lookups = { ...lookups, loyalty };
      report.spilledBytes = buffer.spilledBytes;
      yield* replay(buffer, ctx, build, options.batchSize ?? 1024, report);
      report.complete = true;
    } finally {
      await buffer.dispose();
    }
  }

  const batches = (): AsyncGenerator<ParsedRow[]> => run(buildRow);
  return {
    report,
    batches,
    async *rows() {
      for await (const batch of batches()) yield* batch;
    },
    legacyLines: () => run((fields, _line, ctx) => buildLegacyLine(fields, ctx)),
  };
}

/**
 * Forward pass: drops are decided (and reported in line order) here; kept
 * lines wait in the buffer. Returns the loyalty keys the kept rows will look
 * up, or undefined when there are too many to be worth filtering on.
 */
async function readKeptLines(
  file: GroupFile,
  ctx: RowContext,
  buffer: ReverseLineBuffer,
  report: CombineReport,
  drop: (row: DroppedRow) => void,
): Promise<Set<string> | undefined> {
  let keys: Set<string> | undefined = new Set();
  const fields = new CsvLineFields();
  for await (const { firstLine, lines } of readLineBatches(file.open())) {
    for (let k = 0; k < lines.length; k++) {
      const line = firstLine + k;
      const text = lines[k] as string;
      if (line === 1 && text.startsWith('STORE_NUM,')) continue;
      report.dataLines++;
      // A line with a quote is read whole to catch an unclosed one.
      fields.read(text, FORWARD_FIELDS, true);
      const problem = rowProblem(fields, fields.unterminated, ctx);
      if (problem !== null) {
        drop({ reason: problem.reason, file: file.name, line, raw: text, detail: problem.detail });
        continue;
      }
      buffer.push(line, text);
      keys?.add(loyaltyKeyOf(fields));
    }
    if (keys !== undefined && keys.size > MAX_LOYALTY_KEYS) keys = undefined;
    if (buffer.full) await buffer.spill();
  }
  return keys;
}

type RowBuilder<T> = (fields: RowFields, line: number, ctx: RowContext) => T;

/**
 * Reverse pass: kept lines last-first, built into rows (parsing again is
 * cheaper than holding rows). Only the forward pass's columns are parsed:
 * rows use none beyond TRANSNO, and a kept line has no unclosed quote.
 */
async function* replay<T>(
  buffer: ReverseLineBuffer,
  ctx: RowContext,
  build: RowBuilder<T>,
  batchSize: number,
  report: CombineReport,
): AsyncGenerator<T[]> {
  let batch: T[] = [];
  const fields = new CsvLineFields();
  for await (const { numbers, texts } of buffer.segmentsLastFirst()) {
    for (let i = texts.length - 1; i >= 0; i--) {
      batch.push(build(fields.read(texts[i] as string, FORWARD_FIELDS), numbers[i] as number, ctx));
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
