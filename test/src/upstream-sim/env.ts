import { z } from 'zod';
import { FaultList } from './faults.js';

/** Configuration of the simulator process, from the environment. */
export const UpstreamEnv = z.object({
  /** Folder of export files to serve; unset: a synthetic week is generated into a cache folder. */
  UPSTREAM_DIR: z.string().min(1).optional(),
  UPSTREAM_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  /** Loopback by default: the simulator has no authentication. */
  UPSTREAM_HOST: z.string().default('127.0.0.1'),
  UPSTREAM_BASE_PATH: z.string().default('/biggsinc_loyalty/controller/'),
  /** JSON array of fault rules (see faults.ts), e.g. `[{"kind":"latency","ms":200}]`. */
  UPSTREAM_FAULTS: z
    .string()
    .default('[]')
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'UPSTREAM_FAULTS is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(FaultList),
  /** Mimic the real server refusing clients without browser-like headers. */
  UPSTREAM_REQUIRE_BROWSER_HEADERS: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
  /** Seed of probabilistic faults and of the generated default dataset. */
  UPSTREAM_SEED: z.coerce.number().int().default(1),
  /** Log every request (JSON line); off by default for load runs. */
  UPSTREAM_LOG_REQUESTS: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
});
export type UpstreamEnv = z.infer<typeof UpstreamEnv>;
