import { z } from 'zod';

/** Variables every service reads; each service's env.ts extends this. */
export const BaseEnv = z.object({
  /** Broker URL, including the vhost. */
  AMQP_URL: z.string().url().default('amqp://guest:guest@127.0.0.1:5672/'),
  /** Database URL; the path names the database. */
  MONGO_URL: z.string().default('mongodb://127.0.0.1:27017/posflow'),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Port of the ops server (/metrics, /healthz, /readyz); 0 picks a free one. */
  OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9090),
  /** Host the ops server binds to. */
  OPS_HOST: z.string().default('0.0.0.0'),
  /** After SIGTERM, give in-flight work this long before forcing exit; keep it below the pod's grace period. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25_000),
});
export type BaseEnv = z.infer<typeof BaseEnv>;

const SECRET_KEY = /(PASS|SECRET|TOKEN|KEY)/i;

/** Replaces passwords in URLs and values of secret-looking keys, so a config can be logged. */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (SECRET_KEY.test(k)) out[k] = v === undefined || v === '' ? v : '[redacted]';
    else if (typeof v === 'string') out[k] = redactUrl(v);
    else out[k] = v;
  }
  return out;
}

export function redactUrl(value: string): string {
  return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)([^@/\s]+)@/gi, '$1[redacted]@');
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment with a service's schema. Throws a ConfigError whose
 * message lists every bad variable on its own line.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const res = schema.safeParse(env);
  if (res.success) return res.data;
  const lines = res.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/** parseEnv for main.ts: on bad config prints a readable message and exits 78 (EX_CONFIG). */
export function loadEnv<S extends z.ZodType>(service: string, schema: S): z.infer<S> {
  try {
    return parseEnv(schema);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Broker settings for services that consume a queue. */
export const WorkerEnvFields = {
  /** Unacked messages one consumer holds at once (its concurrency). */
  PREFETCH: z.coerce.number().int().min(1).max(1000).default(4),
  /** Delayed retries before a message is dead-lettered. */
  MAX_ATTEMPTS: z.coerce.number().int().min(0).max(50).default(5),
  /** Comma-separated delays (ms) of the retry queues, growing. */
  RETRY_DELAYS_MS: z
    .string()
    .default('1000,5000,30000,120000,600000')
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(z.array(z.number().int().min(10)).min(1)),
  /** Broker-side redelivery cap (quorum x-delivery-limit): catches messages that crash their worker. */
  DELIVERY_LIMIT: z.coerce.number().int().min(1).default(5),
};
