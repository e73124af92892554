import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createLogger } from '@posflow/runtime';
import { writeDataset } from '@posflow/synth';
import { UpstreamEnv } from './env.js';
import { startUpstreamSimulator } from './upstream-simulator.js';

// Default dataset when UPSTREAM_DIR is unset: one fixed week, 30 branches, POS 1 and 2.
const DEFAULT_RANGE = { from: '2026-02-03', to: '2026-02-09' } as const;

async function main(): Promise<void> {
  const log = createLogger('upstream-sim');
  const parsed = UpstreamEnv.safeParse(process.env);
  if (!parsed.success) {
    log.fatal({ problems: z.prettifyError(parsed.error) }, 'invalid configuration');
    process.exit(2);
  }
  const env = parsed.data;
  let dir = env.UPSTREAM_DIR;
  if (dir === undefined) {
    dir = join(tmpdir(), 'posflow-upstream-sim', `seed-${env.UPSTREAM_SEED}-${DEFAULT_RANGE.from}-${DEFAULT_RANGE.to}`);
    if (!existsSync(join(dir, '.complete'))) {
      log.info({ dir, ...DEFAULT_RANGE }, 'generating default dataset');
      const summary = await writeDataset({ outDir: dir, ...DEFAULT_RANGE, pos: [1, 2], seed: env.UPSTREAM_SEED, edgeCases: true, scale: { loyalty: 0.1 } });
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, '.complete'), JSON.stringify({ files: summary.files, groups: summary.groups }));
      log.info({ dir, files: summary.files, groups: summary.groups, bytes: summary.bytes }, 'default dataset ready');
    }
  }
  const sim = await startUpstreamSimulator({
    dir,
    port: env.UPSTREAM_PORT,
    host: env.UPSTREAM_HOST,
    basePath: env.UPSTREAM_BASE_PATH,
    faults: env.UPSTREAM_FAULTS,
    requireBrowserHeaders: env.UPSTREAM_REQUIRE_BROWSER_HEADERS,
    seed: env.UPSTREAM_SEED,
    ...(env.UPSTREAM_LOG_REQUESTS ? { onRequest: (r) => log.info({ method: r.method, path: r.path, status: r.status, bytes: r.bytes, durationMs: r.durationMs, faults: r.faults, outcome: r.outcome }, 'request') } : {}),
  });
  log.info({ url: sim.url, dir, faults: env.UPSTREAM_FAULTS.length, requireBrowserHeaders: env.UPSTREAM_REQUIRE_BROWSER_HEADERS }, 'upstream simulator listening');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const s = sim.stats(false);
    log.info({ signal, totalRequests: s.totalRequests, peakInFlight: s.peakInFlight }, 'upstream simulator stopping');
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'upstream-sim', msg: 'upstream simulator failed', err: String(err) })}\n`);
  process.exit(1);
});
