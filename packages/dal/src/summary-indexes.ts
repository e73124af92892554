import type { IndexDescription } from 'mongodb';
import { Collections } from '@posflow/contracts';

// Every summary read is an equality on indexed fields: FerretDB 1.x pushes equalities down to
// PostgreSQL but evaluates ranges, `$in` and `$or` over the whole collection.

export const partitionSummaryIndexes: IndexDescription[] = [
  // Dates a report reads from partition summaries (pending months, a few loose days); the hours with rows of a date.
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

export const daySummaryIndexes: IndexDescription[] = [
  // Loose days of a report: one dimension, one month, every branch.
  { key: { dim: 1, ym: 1 }, name: 'dim_ym' },
];

export const monthSummaryDirtyIndexes: IndexDescription[] = [
  // A report's pending months: the marks of the years in its range.
  { key: { year: 1 }, name: 'year' },
];

/** What the summary reads and rebuilds need, per collection (the importer and the gateway create them at start). */
export const summaryIndexes: Record<string, IndexDescription[]> = {
  [Collections.partitionSummaries]: partitionSummaryIndexes,
  [Collections.monthSummaries]: monthSummaryIndexes,
  [Collections.daySummaries]: daySummaryIndexes,
  [Collections.monthSummaryDirty]: monthSummaryDirtyIndexes,
};
