import { z } from 'zod';
import { FileType } from './files.js';
import { BranchCode, IsoDate, PartitionKey } from './partition.js';
import { DropReason } from './parsed-row.js';

// ---- partitions ------------------------------------------------------------
export const PARTITION_STATUSES = [
  'pending',
  'fetching',
  'fetched',
  'combining',
  'combined',
  'importing',
  'loaded',
  'empty',
  'failed',
  'stale',
] as const;
export const PartitionStatus = z.enum(PARTITION_STATUSES);
export type PartitionStatus = z.infer<typeof PartitionStatus>;

/** Where a partition may go from each status (guarded compare-and-set moves). */
export const PARTITION_TRANSITIONS: Record<PartitionStatus, readonly PartitionStatus[]> = {
  pending: ['fetching', 'failed'],
  // fetching → loaded: a re-fetch found exactly the files of the current load.
  fetching: ['fetched', 'empty', 'failed', 'fetching', 'loaded'],
  fetched: ['combining', 'failed', 'fetching'],
  // → stale: stuck there (its message lost); the gateway puts it back before a re-fetch (prepareForFetch).
  combining: ['combined', 'failed', 'combining', 'stale'],
  combined: ['importing', 'failed', 'combining', 'stale'],
  importing: ['loaded', 'failed', 'importing', 'stale'],
  loaded: ['fetching', 'combining', 'stale'],
  empty: ['fetching'],
  failed: ['fetching', 'combining', 'pending'],
  stale: ['combining', 'fetching'],
};

export const STAGE_NAMES = ['fetch', 'combine', 'import'] as const;

/** One document per (branch, pos, date): the single source of truth for progress. `_id` = partitionId. */
export const PartitionDoc = PartitionKey.extend({
  _id: z.string(),
  status: PartitionStatus,
  /** Generation whose rows queries must read (0 = none loaded yet). */
  generation: z.number().int().min(0),
  /** Guarded-update revision (see PartitionsRepository.compareAndSet). */
  rev: z.number().int().min(0).optional(),
  /** Last generation handed out to a combine; the next combine claims +1. */
  claimedGeneration: z.number().int().min(0),
  files: z.number().int().min(0),
  rowsLoaded: z.number().int().min(0),
  rowsDropped: z.number().int().min(0),
  /** sha256 over the chosen raw files of the last load. */
  sourceHash: z.string().optional(),
  failure: z
    .object({ stage: z.enum(STAGE_NAMES), reason: z.string(), attempts: z.number().int(), at: z.date() })
    .optional(),
  /** Operator said the store was closed that day. */
  knownEmpty: z.boolean().optional(),
  jobIds: z.array(z.string()),
  /** Timestamps per status reached. */
  at: z.record(z.string(), z.date()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type PartitionDoc = z.infer<typeof PartitionDoc>;

// ---- jobs ----------------------------------------------------------------
export const JOB_KINDS = ['range', 'missing', 'recombine', 'upload', 'daily'] as const;
export const JobKind = z.enum(JOB_KINDS);
export const JOB_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'cancelled'] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobDoc = z.object({
  _id: z.string(),
  kind: JobKind,
  status: JobStatus,
  /** What was asked, as given (range or branches_missing map). */
  request: z.record(z.string(), z.unknown()),
  /** Partition ids (`BRANCH_POS_DATE`). */
  partitions: z.array(z.string()),
  total: z.number().int(),
  createdBy: z.string(),
  createdAt: z.date(),
  startedAt: z.date(),
  finishedAt: z.date().optional(),
});
export type JobDoc = z.infer<typeof JobDoc>;

// ---- filerecords ---------------------------------------------------------
export const FILE_STATUSES = ['stored', 'chosen', 'superseded', 'rejected'] as const;
export const FileRecordDoc = PartitionKey.extend({
  _id: z.string(),
  type: FileType,
  /** Upstream path as listed (the name is its last `/` segment). */
  upstreamPath: z.string(),
  name: z.string(),
  /** `HH-MM` from the file name. */
  sendTime: z.string(),
  size: z.number().int().min(0),
  /** Data rows (lines after the header); used to choose among re-sent duplicates. */
  dataRows: z.number().int().min(0),
  sha256: z.string(),
  /** GridFS file id (hex). */
  gridfsId: z.string(),
  source: z.enum(['upstream', 'upload']),
  fetchedAt: z.date(),
  status: z.enum(FILE_STATUSES),
});
export type FileRecordDoc = z.infer<typeof FileRecordDoc>;

// ---- monitor -------------------------------------------------------------
export const MONITOR_KINDS = [
  'upstream-error',
  'missing-file-type',
  'dropped-rows',
  'file-rejected',
  'partition-failed',
  'unrecognised-file',
  'source-changed',
] as const;
export const MonitorKind = z.enum(MONITOR_KINDS);
export type MonitorKind = z.infer<typeof MonitorKind>;

/** What an operator must look at. One entry per (partition, kind, key); repeats bump `count`. */
export const MonitorDoc = z.object({
  _id: z.string(),
  branch: BranchCode.optional(),
  pos: z.number().int().optional(),
  date: IsoDate.optional(),
  kind: MonitorKind,
  /** Distinguishes entries of one kind in one partition (e.g. the drop reason). */
  key: z.string(),
  detail: z.string(),
  /** Up to a few samples (line numbers and raw text for dropped rows). */
  samples: z
    .array(z.object({ line: z.number().int(), raw: z.string(), reason: DropReason.optional() }))
    .optional(),
  count: z.number().int(),
  firstSeen: z.date(),
  lastSeen: z.date(),
  resolved: z.boolean(),
  resolvedBy: z.string().optional(),
});
export type MonitorDoc = z.infer<typeof MonitorDoc>;

export const Collections = Object.freeze({
  partitions: 'partitions',
  jobs: 'jobs',
  filerecords: 'filerecords',
  transactions: 'transactions',
  rollups: 'rollups',
  monitor: 'monitor',
  droppedRows: 'droppedrows',
  /** GridFS bucket holding raw upstream files. */
  rawBucket: 'raw',
  /** GridFS bucket holding parsed artifacts (gzip NDJSON). */
  artifactBucket: 'artifacts',
  /** Distributed upstream limiter permits (see fetcher). */
  limiter: 'limiter',
  /** Revision claims behind guarded partition updates (see PartitionsRepository). */
  partitionRevs: 'partitionrevs',
  /** Per partition generation and dimension: packed rollups (see PartitionSummaryDoc). */
  partitionSummaries: 'partitionsummaries',
  /** Per branch, month and dimension: packed rollups of the current generations (see MonthSummaryDoc). */
  monthSummaries: 'monthsummaries',
  /** Prefix of the day summaries' collections, one per month: `daysummaries.<YYYY-MM>` (see daySummaryCollection). */
  daySummaries: 'daysummaries',
  /** One guard document per (branch, month) of the month summaries, and their revision claims. */
  monthSummaryHeads: 'monthsummaryheads',
  monthSummaryRevs: 'monthsummaryrevs',
  /** Months whose summaries a load changed and that await their rebuild: `<branch>|<YYYY-MM>|<pg>`. */
  monthSummaryDirty: 'monthsummarydirty',
});
