import { z } from 'zod';
import { BaseEnv, WorkerEnvFields } from '@posflow/runtime';

// What the legacy client sent; the server may reject requests without browser-like headers.
const LEGACY_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

export const Env = BaseEnv.extend({
  ...WorkerEnvFields,
  /** The upstream PHP app's controller folder; list endpoint and file paths are relative to it. */
  UPSTREAM_BASE_URL: z
    .string()
    .url()
    .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
  /** Global cap on concurrent upstream requests across ALL fetcher replicas (permits in the database). */
  UPSTREAM_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /** Until response headers arrive, and the whole budget of a list request. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** Longest silence while a body streams before the download is abandoned. */
  UPSTREAM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Whole budget of one file download (big cumulative files need more than UPSTREAM_TIMEOUT_MS). */
  UPSTREAM_DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().min(100).default(900_000),
  /** Immediate tries per file on connection failures before the message goes to the retry queue. */
  UPSTREAM_DOWNLOAD_TRIES: z.coerce.number().int().min(1).max(10).default(3),
  /** Backoff between those tries (multiplied by the try number). */
  UPSTREAM_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(500),
  /** A permit whose holder stopped renewing (killed replica) comes back after this long. */
  UPSTREAM_PERMIT_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
  /** A permit goes back no earlier than this after its request's last byte (the server may still be finishing the response). */
  UPSTREAM_PERMIT_SETTLE_MS: z.coerce.number().int().min(0).max(1_000).default(10),
  /** Browser-like headers of the legacy client. */
  UPSTREAM_USER_AGENT: z.string().default(LEGACY_USER_AGENT),
  /** Defaults to the base URL. */
  UPSTREAM_REFERER: z.string().optional(),
  /** Defaults to the base URL's origin. */
  UPSTREAM_ORIGIN: z.string().optional(),
  /** Consecutive upstream failures that open the circuit breaker (pausing all fetching). */
  BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  /** How long the breaker stays open before one trial request. */
  BREAKER_OPEN_MS: z.coerce.number().int().min(100).default(30_000),
  /** How long a handler holds its message while the breaker is open before scheduling a retry. */
  BREAKER_MAX_WAIT_MS: z.coerce.number().int().min(0).default(300_000),
  /** Share the breaker's open state with the other replicas through the database. */
  BREAKER_SHARED: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
});
export type Env = z.infer<typeof Env>;
