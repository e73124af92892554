import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ImportRequestedV1, Queues, partitionId } from '@posflow/contracts';
import { PartitionsRepository } from '@posflow/dal';
import { connectMongo, createLogger, type MongoHandle } from '@posflow/runtime';
import { createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import {
  HAVE_FIXTURES,
  NO_FIXTURES_REASON,
  QueueProbe,
  REPO_ROOT,
  fixtureGroup,
  legacyOutput,
  readArtifact,
  referenceHeader,
  seedPartition,
  testEnv,
  until,
} from './testing/harness.js';

const MAIN = join(REPO_ROOT, 'services', 'combiner', 'dist', 'main.js');

if (!HAVE_FIXTURES) console.warn(`combiner process test ${NO_FIXTURES_REASON}`);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => res(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

describe.skipIf(!HAVE_FIXTURES)(
  'the combiner as a real process (node services/combiner/dist/main.js)',
  () => {
    let vhost: TestVhost;
    let mongo: MongoHandle;
    let probe: QueueProbe;
    let child: ChildProcess;
    let exited: Promise<{ code: number | null; signal: string | null }>;
    let log = '';
    let opsPort = 0;

    beforeAll(async () => {
      // Built by `pnpm build` (which `pnpm test` runs first).
      expect(existsSync(MAIN), `${MAIN} missing: run pnpm build`).toBe(true);
      vhost = await createTestVhost('posflow-combiner-proc');
      const { url } = testMongoUrl('posflow_combiner_proc');
      mongo = await connectMongo(url, createLogger('t', 'silent'));
      opsPort = await freePort();
      child = spawn(process.execPath, [MAIN], {
        cwd: join(REPO_ROOT, 'services', 'combiner'),
        env: {
          ...process.env,
          ...testEnv(vhost.amqpUrl, url, { LOG_LEVEL: 'info' }),
          OPS_PORT: String(opsPort),
          OPS_HOST: '127.0.0.1',
          SHUTDOWN_TIMEOUT_MS: '10000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
      exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
      await until(
        'combiner /readyz',
        async () => {
          if (child.exitCode !== null) throw new Error(`combiner exited early:\n${log}`);
          const r = await fetch(`http://127.0.0.1:${opsPort}/readyz`).catch(() => undefined);
          return r?.ok ? true : undefined;
        },
        60_000,
      );
      probe = await QueueProbe.connect(vhost.amqpUrl);
    });

    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await probe?.close();
      await mongo?.db.dropDatabase().catch(() => undefined);
      await mongo?.close();
      await vhost?.drop();
    });

    test('combines a partition, survives SIGHUP (reference reload) and stops cleanly on SIGTERM', async () => {
      const group = 'BMC_1_2026-02-09';
      const { key, files } = fixtureGroup(group);
      await seedPartition(mongo, key, files);
      await probe.publishCombine(key);

      const request = await until('import request', async () => {
        const [m] = await probe.drain(Queues.work('import'));
        return m ? ImportRequestedV1.parse(m.body) : undefined;
      });
      expect(request.payload).toMatchObject({ generation: 1, rows: 454, dropped: 0 });
      const rows = await readArtifact(mongo, request.payload.artifactId);
      expect([referenceHeader(), ...rows.map((r) => r.legacy)].join('\n') + '\n').toBe(legacyOutput(group));
      expect((await new PartitionsRepository(mongo.db).get(key))?.status).toBe('combined');

      const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
      expect(metrics).toMatch(/^posflow_combine_rows_total\{service="combiner"\} 454$/m);
      expect(metrics).toMatch(/^posflow_messages_total\{.*stage="combine".*outcome="ack".*\} 1$/m);

      child.kill('SIGHUP');
      await until('forced reference reload', () =>
        log.includes('reference data reloaded') ? true : undefined,
      );
      expect(child.exitCode).toBeNull();

      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(log).toContain(partitionId(key));
    });
  },
);
