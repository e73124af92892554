import { z } from 'zod';
import { BaseEnv, WorkerEnvFields } from '@posflow/runtime';

export const Env = BaseEnv.extend({
  ...WorkerEnvFields,
  /** Rows per unordered insert: large enough to amortise round trips, small enough that a redelivery redoes little. */
  IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(1000),
  /** How often dirty month summaries are rebuilt (reports' whole months trail a load by about this). */
  /** A job's settle (counting its partitions by status) runs at most once per this long after its loads (0: after each). */
  JOB_REFRESH_DELAY_MS: z.coerce.number().int().min(0).default(10_000),
  MONTH_SUMMARY_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  /** A dirty month is rebuilt once no load has marked it for this long (a backfill's month is not rebuilt after every load)... */
  MONTH_SUMMARY_QUIET_MS: z.coerce.number().int().min(0).default(30_000),
  /** ...or once its oldest mark is this old while loads go on (reports are right meanwhile, only slower on that month). */
  MONTH_SUMMARY_MAX_LAG_MS: z.coerce.number().int().min(0).default(300_000),
});
export type Env = z.infer<typeof Env>;
