import { z } from 'zod';
import { BaseEnv, WorkerEnvFields } from '@posflow/runtime';
import { ApiKeyList } from './auth/api-keys.js';

export const Env = BaseEnv.extend({
  // The gateway declares the stage queues too: they must match the workers' (RabbitMQ refuses a
  // queue declared again with another delivery limit), so it reads the same two settings.
  RETRY_DELAYS_MS: WorkerEnvFields.RETRY_DELAYS_MS,
  DELIVERY_LIMIT: WorkerEnvFields.DELIVERY_LIMIT,
  /** Port of the public API and dashboard (the ops port stays internal). */
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Host the public API binds to. */
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  /** Folder with branches.txt (the branches to fetch) and aaa_headers.csv (the legacy header line). */
  REFERENCE_DIR: z.string().min(1),
  /** JSON list of {name, role, sha256, branches?}: the API keys, hashed (from a Secret). */
  POSFLOW_API_KEYS: z
    .string()
    .default('[]')
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON list' });
        return z.NEVER;
      }
    })
    .pipe(ApiKeyList),
  /** A plain admin key for the local stack, hashed at start; leave unset in a cluster. */
  POSFLOW_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** RabbitMQ management API with credentials (queue depths, dead letters). */
  RABBITMQ_MANAGEMENT_URL: z.string().url().default('http://guest:guest@127.0.0.1:15672'),
  /** Namespace whose deployments /cluster shows (read-only ServiceAccount). */
  POSFLOW_NAMESPACE: z.string().default('posflow'),
  /** Set by Kubernetes in every pod: tells /cluster it may ask the API server. */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  /** Longest date range one request may cover. */
  MAX_RANGE_DAYS: z.coerce.number().int().min(1).default(400),
  /** A busy partition updated within this long is not enqueued again (older: presumed stuck). */
  INFLIGHT_FRESH_MS: z.coerce.number().int().min(1_000).default(6 * 3_600_000),
  /** How often the gateway re-enqueues partitions in a working status for longer than INFLIGHT_FRESH_MS (0 = never). */
  STUCK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(10 * 60_000),
  /** Write requests per minute per key (token bucket refill). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().min(1).default(60),
  /** Write requests a key may make at once before the limit applies. */
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(20),
  /** Largest accepted upload file (bytes); a cumulative loyalty log runs to a few MB. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1_024).default(50 * 1024 * 1024),
  /** Interval of job progress events (SSE). */
  SSE_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
  /** How often the summary gauges (partitions, coverage, queues, monitor) are refreshed. */
  METRICS_REFRESH_MS: z.coerce.number().int().min(1_000).default(15_000),
  /** The dashboard's static files (default: services/gateway/public). */
  PUBLIC_DIR: z.string().optional(),
});
export type Env = z.infer<typeof Env>;
