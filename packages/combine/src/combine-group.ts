import type { DropReason, DroppedRow, FileType, ParsedRow } from '@posflow/contracts';
import {
  buildGroupLookups,
  buildLoyaltyLookup,
  buildProductLookup,
  type LookupFileType,
} from './group-lookups.builder.js';
import { readKeptLines } from './forward-pass.js';
import { buildLegacyLine, buildRow, rowContext, type RowContext } from './legacy-row.builder.js';
import type { ByteSource } from './line.reader.js';
import type { LoyaltyLogCache } from './loyalty-log.cache.js';
import type { ReferenceData } from './reference-data.js';
import { replayBytes, replayRows } from './reverse-pass.js';
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
