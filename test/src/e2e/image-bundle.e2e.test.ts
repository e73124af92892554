import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeReference } from '@posflow/synth';
import { createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import { REPO_ROOT, ServiceProcess, freePort } from '../support/processes.js';

/**
 * The Dockerfile's build stage without a Docker engine: its build script (the
 * `RUN <<'SH'` heredoc) runs as written, with `/out` pointed at a temp folder,
 * and the pruned bundle is started the way the image's CMD does (`node
 * main.js` in that folder, NODE_ENV=production), until it answers /readyz.
 */
const SERVICES = ['fetcher', 'combiner', 'importer', 'gateway'] as const;

async function buildScript(): Promise<string> {
  const dockerfile = await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const m = /<<'SH'\n([\s\S]*?)\nSH\n/.exec(dockerfile);
  if (!m?.[1]) throw new Error("no RUN <<'SH' build script in the Dockerfile");
  return m[1];
}

describe('image bundles built by the Dockerfile script start like the image does', () => {
  let vhost: TestVhost;
  let script: string;
  let reference: string;
  const dirs: string[] = [];
  beforeAll(async () => {
    vhost = await createTestVhost('posflow-image');
    script = await buildScript();
    reference = await mkdtemp(join(tmpdir(), 'posflow-image-ref-'));
    dirs.push(reference);
    await writeReference(reference);
  });
  afterAll(async () => {
    await vhost?.drop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  for (const service of SERVICES) {
    test(`${service}: pruned bundle without dev dependencies, ready as \`node main.js\``, async () => {
      const out = await mkdtemp(join(tmpdir(), `posflow-image-${service}-`));
      dirs.push(out);
      const run = spawnSync('sh', ['-c', script.replaceAll('/out', out)], {
        cwd: REPO_ROOT,
        env: { ...process.env, SERVICE: service, CI: 'true' },
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      // production dependencies only
      const pkgDir = join(out, 'services', service, 'node_modules');
      for (const dev of ['vitest', 'typescript', 'eslint']) {
        expect(
          spawnSync('test', ['-e', join(pkgDir, dev)]).status,
          `${dev} must not be in the bundle`,
        ).not.toBe(0);
      }
      const ops = await freePort();
      const env: Record<string, string> = {
        NODE_ENV: 'production',
        AMQP_URL: vhost.amqpUrl,
        MONGO_URL: testMongoUrl('posflow_image').url,
        LOG_LEVEL: 'warn',
        REFERENCE_DIR: reference,
        UPSTREAM_BASE_URL: 'http://127.0.0.1:9/biggsinc_loyalty/controller/',
        GATEWAY_PORT: String(await freePort()),
        POSFLOW_API_KEY: 'image-bundle-test-key-0001',
        TMP_DIR: join(out, 'tmp'),
      };
      // the image's WORKDIR is the bundle and its CMD is `node main.js`
      const proc = new ServiceProcess(`image-${service}`, 'main.js', env, ops, out);
      await proc.start(90_000);
      const stopped = await proc.stop('SIGTERM');
      expect(stopped.code).toBe(0);
    });
  }
});
