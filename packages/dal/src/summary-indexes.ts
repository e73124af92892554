import type { IndexDescription } from 'mongodb';
import { Collections } from '@posflow/contracts';

// Every summary read is an equality, served by these indexes on MongoDB. FerretDB 1.24 creates them
// but scans the whole collection for every filter (see SalesSummariesReader).

export const partitionSummaryIndexes: IndexDescription[] = [
  // Dates a report reads from partition summaries (pending months); the hours with rows of a date.
  { key: { dim: 1, date: 1 }, name: 'dim_date' },
  // Month rebuilds: a branch's month.
  { key: { branch: 1, ym: 1 }, name: 'branch_ym' },
  // Per-generation delete after a swap.
  { key: { pg: 1 }, name: 'pg' },
];

export const monthSummaryIndexes: IndexDescription[] = [
  // Whole months of a report: one dimension, one year.
  { key: { dim: 1, year: 1 }, name: 'dim_year' },
];

export const monthSummaryDirtyIndexes: IndexDescription[] = [
  // A report's pending months: the marks of the years in its range.
  { key: { year: 1 }, name: 'year' },
];

/**
 * What the summary reads and rebuilds need, per collection (the importer and
 * the gateway create them at start). The day summaries' collections (one per
 * month, branches × 16 documents) have none: a month is read whole.
 */
export const summaryIndexes: Record<string, IndexDescription[]> = {
  [Collections.partitionSummaries]: partitionSummaryIndexes,
  [Collections.monthSummaries]: monthSummaryIndexes,
  [Collections.monthSummaryDirty]: monthSummaryDirtyIndexes,
};
