import { z } from 'zod';
import { Collections } from './documents.js';
import { ParsedRow } from './parsed-row.js';

/** The partition generation a loaded document belongs to: readers filter on `pg` (`<partitionId>#<generation>`). */
const PartitionGeneration = {
  partitionId: z.string(),
  generation: z.number().int().min(1),
  pg: z.string(),
};

/** The same with the partition's key, for documents that do not carry a row's fields. */
const PartitionGenerationKey = {
  ...PartitionGeneration,
  branch: z.string(),
  pos: z.number().int(),
  date: z.string(),
};

/**
 * One loaded row (`transactions` collection): the combiner's ParsedRow plus
 * load metadata. Readers must filter on the partition's current generation
 * (`pg` = `<partitionId>#<generation>`); the importer writes generation N+1,
 * flips the partition, then deletes generation N.
 */
export const TransactionDoc = ParsedRow.extend({
  /** Deterministic: partition + source line + content key + generation. */
  _id: z.string(),
  ...PartitionGeneration,
  /** Midnight UTC of the business date string (never shifted by a time zone). */
  dateAt: z.date(),
});
export type TransactionDoc = z.infer<typeof TransactionDoc>;

export const ROLLUP_DIMENSIONS = [
  'day',
  'hour',
  'daypart',
  'department',
  'product',
  'category',
  'payment',
  'discount',
] as const;
export const RollupDimension = z.enum(ROLLUP_DIMENSIONS);
export type RollupDimension = z.infer<typeof RollupDimension>;

/** `all` lines, or `products` only (modifier lines excluded): receipts are distinct per scope. */
export const RollupScope = z.enum(['all', 'products']);
export type RollupScope = z.infer<typeof RollupScope>;

/**
 * Per partition, generation, dimension, key and scope: the sums analysts ask
 * for. Receipts are distinct within the partition (receipt numbers are per
 * terminal and day), so summing them across partitions gives TC. Reports use
 * `$group` with `$sum` only (FerretDB 1.x-safe).
 */
export const RollupDoc = z.object({
  _id: z.string(),
  ...PartitionGenerationKey,
  year: z.number().int(),
  month: z.number().int(),
  weekday: z.number().int(),
  dim: RollupDimension,
  key: z.string(),
  scope: RollupScope,
  /** Sum of AMOUNT, exact ten-thousandths. */
  salesE4: z.number().int(),
  discountE4: z.number().int(),
  quantity: z.number(),
  lines: z.number().int(),
  /** Distinct receipts (OR numbers) with at least one line under this key. */
  receipts: z.number().int(),
});
export type RollupDoc = z.infer<typeof RollupDoc>;

/**
 * Sales summaries: what reports read. The per-key `rollups` are the detailed
 * record; summaries pack one dimension's rollups into a single document, so a
 * report over a year reads a few hundred documents instead of millions.
 * `entries` holds one line per key, `key\tsalesE4\tdiscountE4\tquantityE4\tlines\treceipts`
 * (see dal `summary-entries.ts`): FerretDB 1.x reads one long string about 15×
 * faster than the same data as an array of sub-documents.
 */
const SummaryEntries = z.object({
  /** Entries over all lines. */
  all: z.string(),
  /** Entries with modifier lines (NO ICE…) excluded; receipts distinct in this scope. */
  products: z.string(),
});

/** One partition generation, one dimension (`_id` `<pg>|<dim>`): written with its rows, never updated. */
export const PartitionSummaryDoc = SummaryEntries.extend({
  _id: z.string(),
  ...PartitionGenerationKey,
  /** `YYYY-MM` of the business date. */
  ym: z.string(),
  dim: RollupDimension,
});
export type PartitionSummaryDoc = z.infer<typeof PartitionSummaryDoc>;

/**
 * One branch, one calendar month, one dimension (`_id` `<branch>|<YYYY-MM>|<dim>`), both
 * terminals: the sum of the current generations' partition summaries, rebuilt
 * from the dirty marks loads leave (guarded by a revision claim, see dal
 * `SalesSummariesWriter`). For `day`, the keys are the dates.
 */
export const MonthSummaryDoc = SummaryEntries.extend({
  _id: z.string(),
  branch: z.string(),
  year: z.number().int(),
  ym: z.string(),
  dim: RollupDimension,
  /** `<partitionId>#<generation>` of every partition generation summed, comma-separated, sorted. */
  parts: z.string(),
  updatedAt: z.date(),
});
export type MonthSummaryDoc = z.infer<typeof MonthSummaryDoc>;

/**
 * The same sums as a month summary, per day: what reports read for the loose
 * days of a range cut mid-month. One scope per document (a report reads one;
 * FerretDB decodes whole documents), `_id` `<branch>|<YYYY-MM>|<dim>|<scope>`,
 * in the month's own collection (`daySummaryCollection`), written in the same
 * rebuild as the month summary.
 */
export const DaySummaryDoc = z.object({
  _id: z.string(),
  branch: z.string(),
  year: z.number().int(),
  ym: z.string(),
  dim: RollupDimension,
  scope: RollupScope,
  /**
   * One line per date and key, `YYYY-MM-DD\tkey\tsalesE4\tdiscountE4\tquantityE4\tlines\treceipts`,
   * dates ascending (dal `encodeDayEntries`).
   */
  entries: z.string(),
  /** The generations summed, as in the month summary. */
  parts: z.string(),
  updatedAt: z.date(),
});
export type DaySummaryDoc = z.infer<typeof DaySummaryDoc>;

/**
 * The collection of one month's day summaries (branches × 16 documents).
 * One per month because FerretDB 1.24 evaluates every filter, `_id`
 * included, as `_jsonb->'field' @> value`, which no index serves: a read
 * scans (and decompresses) its whole collection, so a cut month's read costs
 * that month's documents, not every month's.
 */
export function daySummaryCollection(ym: string): string {
  return `${Collections.daySummaries}.${ym}`;
}

/** Written by a rebuild that also writes the day summaries; a head without it (older) has its month rebuilt. */
export const SUMMARY_LAYOUT = 2;

/** The month summaries' guard document per (branch, month): its revision orders rebuilds. */
export const MonthSummaryHeadDoc = z.object({
  _id: z.string(),
  rev: z.number().int().min(0),
  parts: z.string(),
  /** SUMMARY_LAYOUT of the rebuild that wrote it (absent: written before day summaries existed). */
  layout: z.number().int().optional(),
  updatedAt: z.date(),
});
export type MonthSummaryHeadDoc = z.infer<typeof MonthSummaryHeadDoc>;

/**
 * A load changed (branch, month) and its summaries await a rebuild (`_id`
 * `<branch>|<YYYY-MM>|<pg>`, one per loaded generation). While one exists,
 * reports read that month from the partition summaries. Reports find the
 * marks of a range by `{year}`.
 */
export const MonthSummaryDirtyDoc = z.object({
  _id: z.string(),
  branch: z.string(),
  /** Absent on marks written before reports read them by year (the next rebuild removes them). */
  year: z.number().int().optional(),
  ym: z.string(),
  /**
   * `layout`: the month's summaries were written before day summaries existed (its month summaries are
   * current; only its day summaries are missing). Absent: a load changed the month.
   */
  kind: z.enum(['layout']).optional(),
  at: z.date(),
});
export type MonthSummaryDirtyDoc = z.infer<typeof MonthSummaryDirtyDoc>;
