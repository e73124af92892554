import { z } from 'zod';
import { JobKind, JobStatus, MonitorKind, PartitionStatus } from './documents.js';
import { BranchCode, IsoDate, PosNumber } from './partition.js';
import { DAYPARTS } from './parsed-row.js';
import { STAGES } from './queues.js';

/**
 * Request and response shapes of the gateway's public API (`/api/v1`). The
 * gateway validates every body and query with these, and its OpenAPI document
 * is generated from them, so the contract has one source.
 */

// ---- query-string helpers -------------------------------------------------
/** `A,B` or repeated `?x=A&x=B` → ['A','B']. */
const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === '') return undefined;
    const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(','));
    return parts.map((s) => s.trim()).filter((s) => s !== '');
  }, z.array(item).min(1));

/** Query flags: `true`/`1`/`yes` and `false`/`0`/`no`. */
export const QueryBool = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  if (['true', '1', 'yes'].includes(v.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(v.toLowerCase())) return false;
  return v;
}, z.boolean());

export const ApiRole = z.enum(['viewer', 'operator', 'admin']);
export type ApiRole = z.infer<typeof ApiRole>;

/** One entry of `POSFLOW_API_KEYS`: the key itself is never stored, only its sha256 (hex). */
export const ApiKeyEntry = z.object({
  name: z.string().min(1),
  role: ApiRole,
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'sha256 must be 64 hex characters'),
  /** Limits the key to these branches everywhere (store managers). */
  branches: z.array(BranchCode).min(1).optional(),
});
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;

// ---- errors -----------------------------------------------------------------
export const ApiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

// ---- enqueueing -------------------------------------------------------------
const RangeFields = {
  from: IsoDate,
  to: IsoDate,
  branches: z.array(BranchCode).min(1).optional(),
  pos: z.array(PosNumber).min(1).optional(),
};

export const FetchRangeBody = z.object({
  ...RangeFields,
  /** Re-fetch partitions that are already loaded (or marked known-empty). */
  force: z.boolean().default(false),
  /** `daily` marks the scheduled run (the CronJob); same behaviour. */
  kind: z.enum(['range', 'daily']).default('range'),
});
export type FetchRangeBody = z.infer<typeof FetchRangeBody>;

/** The legacy "missing" map `{BRANCH: {POS: [dates]}}`, accepted as is (POS keys are strings). */
export const BranchesMissing = z.record(
  BranchCode,
  z.record(z.string().regex(/^[1-9]$/, 'pos key must be "1".."9"'), z.array(IsoDate)),
);
export type BranchesMissing = z.infer<typeof BranchesMissing>;

export const FetchMissingBody = z.object({
  branches_missing: BranchesMissing,
  force: z.boolean().default(false),
});
export type FetchMissingBody = z.infer<typeof FetchMissingBody>;

export const RecombineBody = z.object(RangeFields);
export type RecombineBody = z.infer<typeof RecombineBody>;

export const EnqueueResult = z.object({
  jobId: z.string(),
  partitions: z.number().int(),
  enqueued: z.number().int(),
  skipped: z.number().int(),
  /** Why partitions were skipped, with counts (loaded, in-flight, known-empty, no-files). */
  skippedBy: z.record(z.string(), z.number().int()),
});
export type EnqueueResult = z.infer<typeof EnqueueResult>;

// ---- jobs -------------------------------------------------------------------
export const JobsQuery = z.object({
  status: JobStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const JobProgressView = z.object({
  id: z.string(),
  kind: JobKind,
  status: JobStatus,
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  total: z.number().int(),
  done: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  rowsLoaded: z.number().int(),
  rowsDropped: z.number().int(),
  failures: z
    .array(z.object({ partition: z.string(), stage: z.string(), reason: z.string(), attempts: z.number() }))
    .optional(),
});
export type JobProgressView = z.infer<typeof JobProgressView>;

// ---- partitions, coverage, missing --------------------------------------------
export const PartitionsQuery = z.object({
  from: IsoDate,
  to: IsoDate,
  branch: csvList(BranchCode).optional(),
  pos: csvList(PosNumber).optional(),
  status: csvList(PartitionStatus).optional(),
  limit: z.coerce.number().int().min(1).max(20_000).default(5_000),
});
export type PartitionsQuery = z.infer<typeof PartitionsQuery>;

export const CoverageQuery = z.object({
  from: IsoDate,
  to: IsoDate,
  branch: csvList(BranchCode).optional(),
});
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const CoverageCell = z
  .object({ status: PartitionStatus, rows: z.number().int(), knownEmpty: z.boolean().optional() })
  .nullable();
export const CoverageGrid = z.object({
  from: IsoDate,
  to: IsoDate,
  dates: z.array(IsoDate),
  /** One row per (branch, pos); `cells[i]` is for `dates[i]`, null = never requested. */
  rows: z.array(z.object({ branch: BranchCode, pos: z.number().int(), cells: z.array(CoverageCell) })),
  totals: z.record(z.string(), z.number().int()),
});
export type CoverageGrid = z.infer<typeof CoverageGrid>;

export const MissingScanBody = z.object({ ...RangeFields, enqueue: z.boolean().default(false) });
export type MissingScanBody = z.infer<typeof MissingScanBody>;

export const MissingScanResult = z.object({
  /** Partitions with no loaded rows that were never fetched, failed or are stuck. */
  branches_missing: BranchesMissing,
  missing: z.number().int(),
  /** Fetched and found empty, or marked closed by an operator. */
  empty: z.array(z.object({ branch: BranchCode, pos: z.number().int(), date: IsoDate, knownEmpty: z.boolean() })),
  job: EnqueueResult.optional(),
});
export type MissingScanResult = z.infer<typeof MissingScanResult>;

// ---- transactions and exports ---------------------------------------------------
const TransactionFilterFields = {
  from: IsoDate,
  to: IsoDate,
  branch: csvList(BranchCode).optional(),
  pos: csvList(PosNumber).optional(),
  product: z.string().min(1).optional(),
  department: z.string().min(1).optional(),
  payment: z.string().min(1).optional(),
  daypart: z.enum(DAYPARTS).optional(),
  category: z.string().min(1).optional(),
  /** Free text: product name, item code, receipt or transaction number (case-insensitive). */
  q: z.string().min(1).max(100).optional(),
};
export const TransactionFilter = z.object(TransactionFilterFields);
export type TransactionFilter = z.infer<typeof TransactionFilter>;

export const TransactionsQuery = z.object({
  ...TransactionFilterFields,
  /** `-date` = newest first (date, then time, descending). */
  sort: z.enum(['-date', 'date']).default('-date'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});
export type TransactionsQuery = z.infer<typeof TransactionsQuery>;

export const LegacyExportQuery = z.union([
  z.object({ branch: BranchCode, pos: PosNumber, date: IsoDate }),
  z.object({ from: IsoDate, to: IsoDate, branch: csvList(BranchCode).optional() }),
]);
export type LegacyExportQuery = z.infer<typeof LegacyExportQuery>;

// ---- reports ------------------------------------------------------------------
export const SALES_GROUPS = [
  'day',
  'weekday',
  'hour',
  'daypart',
  'department',
  'product',
  'category',
  'branch',
  'payment',
  'discount',
] as const;
export const SalesGroup = z.enum(SALES_GROUPS);
export type SalesGroup = z.infer<typeof SalesGroup>;

export const SalesReportQuery = z.object({
  from: IsoDate,
  to: IsoDate,
  groupBy: SalesGroup,
  branch: csvList(BranchCode).optional(),
  excludeModifiers: QueryBool.default(false),
  compare: z.enum(['previous-year']).optional(),
  limit: z.coerce.number().int().min(1).max(5_000).optional(),
});
export type SalesReportQuery = z.infer<typeof SalesReportQuery>;

export const SalesFigures = z.object({
  /** Exact decimal string from the E4 integers. */
  sales: z.string(),
  salesE4: z.number().int(),
  quantity: z.number(),
  /** Transaction count: distinct receipts. */
  tc: z.number().int(),
  /** Average check = sales / TC, 4 decimals (null when TC is 0). */
  ac: z.string().nullable(),
});
export const SalesReport = z.object({
  from: IsoDate,
  to: IsoDate,
  groupBy: SalesGroup,
  scope: z.enum(['all', 'products']),
  groups: z.array(SalesFigures.extend({ key: z.string(), previous: SalesFigures.optional() })),
  total: SalesFigures,
  previousTotal: SalesFigures.optional(),
});
export type SalesReport = z.infer<typeof SalesReport>;

// ---- files, uploads ---------------------------------------------------------------
export const FilesQuery = z.object({ branch: BranchCode, pos: PosNumber, date: IsoDate });

export const UploadResult = z.object({
  jobId: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      partition: z.string(),
      type: z.string(),
      fileId: z.string(),
      sha256: z.string(),
      size: z.number().int(),
      dataRows: z.number().int(),
      duplicate: z.boolean(),
    }),
  ),
  partitions: z.array(z.string()),
});
export type UploadResult = z.infer<typeof UploadResult>;

// ---- monitor, queues ------------------------------------------------------------
export const MonitorQuery = z.object({
  kind: csvList(MonitorKind).optional(),
  resolved: QueryBool.optional(),
  branch: csvList(BranchCode).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(2_000).default(500),
});
export type MonitorQuery = z.infer<typeof MonitorQuery>;

export const QueueStageView = z.object({
  stage: z.enum(STAGES),
  ready: z.number().int(),
  unacked: z.number().int(),
  consumers: z.number().int(),
  deadLetters: z.number().int(),
  retrying: z.number().int(),
});
export type QueueStageView = z.infer<typeof QueueStageView>;
export const QueuesView = z.object({ stages: z.array(QueueStageView) });
export type QueuesView = z.infer<typeof QueuesView>;

export const RequeueBody = z.object({ max: z.number().int().min(1).max(10_000).default(1_000) });
export const RequeueResult = z.object({ stage: z.enum(STAGES), requeued: z.number().int(), left: z.number().int() });
export type RequeueResult = z.infer<typeof RequeueResult>;

// ---- cluster ----------------------------------------------------------------------
export const ClusterView = z.object({
  inCluster: z.boolean(),
  message: z.string().optional(),
  namespace: z.string().optional(),
  deployments: z
    .array(
      z.object({
        name: z.string(),
        desired: z.number().int(),
        ready: z.number().int(),
        available: z.number().int(),
        updated: z.number().int(),
      }),
    )
    .optional(),
  pods: z
    .array(
      z.object({
        name: z.string(),
        component: z.string().optional(),
        phase: z.string(),
        ready: z.boolean(),
        restarts: z.number().int(),
        node: z.string().optional(),
        startedAt: z.string().optional(),
      }),
    )
    .optional(),
});
export type ClusterView = z.infer<typeof ClusterView>;
