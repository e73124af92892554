import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { LEGACY_OUTPUT_HEADER } from '@posflow/synth';
import { createTestVhost, testMongoUrl } from '@posflow/runtime/testing';
import { REPO_ROOT, ServiceProcess, freePort } from '../support/processes.js';
import { SEED, seedDashboard, seedExtraBranches, type SeedFacts } from './dashboard-seed.js';

export interface SeededGateway {
  url: string;
  apiKey: string;
  db: Db;
  facts: SeedFacts;
  stop(): Promise<void>;
}

/**
 * The real gateway process (`services/gateway/dist/main.js`, serving the
 * built dashboard) on its own vhost and a database seeded with
 * `seedDashboard`: the UI gets covered without the other services.
 */
export interface SeededGatewayOptions {
  /** More branches (loaded partitions for every day of the seed month, no rows): a full-size coverage grid. */
  extraBranches?: number;
  /** Gateway log level (the benchmark keeps it quiet). */
  logLevel?: string;
}

export async function startSeededGateway(opts: SeededGatewayOptions = {}): Promise<SeededGateway> {
  const index = join(REPO_ROOT, 'services/gateway/public/index.html');
  if (!existsSync(index)) throw new Error(`dashboard not built (${index} missing): run pnpm build`);
  const vhost = await createTestVhost('posflow-dash');
  const { url: mongoUrl } = testMongoUrl('posflow_dash');
  const client = await new MongoClient(mongoUrl).connect();
  const reference = await mkdtemp(join(tmpdir(), 'posflow-dash-ref-'));
  const stopAll = async (gateway?: ServiceProcess) => {
    await gateway?.stop('SIGTERM', 15_000);
    await client
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await vhost.drop().catch(() => undefined);
    await rm(reference, { recursive: true, force: true });
  };
  let gateway: ServiceProcess | undefined;
  try {
    const facts = await seedDashboard(client.db());
    const extra = await seedExtraBranches(client.db(), opts.extraBranches ?? 0);
    await writeFile(join(reference, 'branches.txt'), `${[...SEED.branches, ...extra].join('\n')}\n`);
    await writeFile(join(reference, 'aaa_headers.csv'), `${LEGACY_OUTPUT_HEADER}\n`);
    const apiKey = 'dashboard-e2e-admin-key';
    const port = await freePort();
    gateway = new ServiceProcess(
      'gateway-dashboard',
      'services/gateway/dist/main.js',
      {
        AMQP_URL: vhost.amqpUrl,
        MONGO_URL: mongoUrl,
        LOG_LEVEL: opts.logLevel ?? 'info',
        NODE_ENV: 'test',
        GATEWAY_PORT: String(port),
        GATEWAY_HOST: '127.0.0.1',
        REFERENCE_DIR: reference,
        POSFLOW_API_KEY: apiKey,
        RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:15672',
        // Progress events often enough for the progress bar to move within the test.
        SSE_INTERVAL_MS: '200',
        SHUTDOWN_TIMEOUT_MS: '5000',
      },
      await freePort(),
    );
    await gateway.start();
    const started = gateway;
    return { url: `http://127.0.0.1:${port}`, apiKey, db: client.db(), facts, stop: () => stopAll(started) };
  } catch (err) {
    await stopAll(gateway);
    throw err;
  }
}
