import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collections } from '@posflow/contracts';
import {
  FileRecordViewsRepository,
  FileRecordsRepository,
  JobViewsRepository,
  JobsRepository,
  MonitorRepository,
  PartitionViewsRepository,
  PartitionsRepository,
  SalesSummariesReader,
  TransactionsRepository,
  ensureCoreIndexes,
  summaryIndexes,
  transactionIndexes,
} from '@posflow/dal';
import {
  AmqpClient,
  FileStore,
  createLogger,
  createRegistry,
  connectMongo,
  ensureIndexes,
  type MongoHandle,
} from '@posflow/runtime';
import { TEST_INFRA, createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import { createClusterReader } from '../adapters/cluster.reader.js';
import { RabbitQueueInspector } from '../adapters/queue-inspector.js';
import { createApp } from '../app.js';
import { ApiKeyStore, sha256Hex } from '../auth/api-keys.js';
import type { GatewayDeps, GatewaySettings } from '../deps.js';
import { EnqueueService } from '../enqueue.service.js';
import { createGatewayMetrics } from '../metrics/gateway-metrics.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** ../shared/fixtures beside the repository root (never copied into the repo). */
export const FIXTURES = join(ROOT, '..', 'shared', 'fixtures');
export const HAVE_FIXTURES = existsSync(FIXTURES);

export const KEYS = {
  admin: 'test-admin-key-0000000001',
  operator: 'test-operator-key-000001',
  viewer: 'test-viewer-key-00000001',
  bmcViewer: 'test-bmc-viewer-key-0001',
  bmcOperator: 'test-bmc-operator-key-01',
} as const;
export type KeyName = keyof typeof KEYS;

export const TEST_BRANCHES = ['AYALA-FRN', 'B-SMS', 'BETA', 'BMC', 'EME', 'MAGS'];
const FALLBACK_HEADER =
  'POS,OR,ITEM CODE,QUANTITY,UNIT PRICE,AMOUNT,DISCOUNT,DEPARTMENT CODE,DATE,TIME,DISCOUNT CODE,TYPE CODE,VAT FLAG,VAT DIV,VAT AMOUNT,VAT DISCOUNT,VAT PRICE,TRANSACTION NUMBER,PRODUCT NAME,DEPARTMENT NAME,DISCOUNT NAME,TRANSACTION TYPE,DAYPART,PAYMENT CODE,PAYMENT NAME,PHONE NUMBER,BRANCH';

export interface Harness {
  url: string;
  vhost: TestVhost;
  mongo: MongoHandle;
  amqp: AmqpClient;
  deps: GatewayDeps;
  call(key: KeyName | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers as untyped JSON
  json<T = any>(key: KeyName | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The gateway app in-process on an ephemeral port, against its own vhost and database. */
export async function startHarness(settings: Partial<GatewaySettings> = {}): Promise<Harness> {
  const logger = createLogger('gateway-test', process.env.GATEWAY_TEST_LOG ?? 'silent');
  const vhost = await createTestVhost('posflow-gw');
  const mongo = await connectMongo(testMongoUrl('posflow_gw').url, logger);
  await ensureCoreIndexes(mongo.db);
  await ensureIndexes(mongo.db, {
    [Collections.transactions]: transactionIndexes,
    ...summaryIndexes,
  });
  const amqp = new AmqpClient({
    url: vhost.amqpUrl,
    logger,
    connectionName: 'gateway-test',
    topology: { retryDelaysMs: [1000], deliveryLimit: 5 },
  });
  await amqp.start();
  const db = mongo.db;
  const partitions = new PartitionsRepository(db);
  const partitionViews = new PartitionViewsRepository(db);
  const jobs = new JobsRepository(db, partitions);
  const queues = new RabbitQueueInspector(
    TEST_INFRA.management.replace('://', '://guest:guest@'),
    vhost.name,
    amqp,
  );
  await queues.start();
  const headerFile = join(FIXTURES, 'reference', 'aaa_headers.csv');
  const deps: GatewayDeps = {
    logger,
    settings: {
      maxRangeDays: 400,
      sseIntervalMs: 100,
      rateLimit: { perMinute: 6_000, burst: 1_000 },
      maxUploadBytes: 10 * 1024 * 1024,
      publicDir: join(ROOT, 'services/gateway/public'),
      ...settings,
    },
    keys: new ApiKeyStore([
      { name: 'admin', role: 'admin', sha256: sha256Hex(KEYS.admin) },
      { name: 'operator', role: 'operator', sha256: sha256Hex(KEYS.operator) },
      { name: 'viewer', role: 'viewer', sha256: sha256Hex(KEYS.viewer) },
      { name: 'bmc-viewer', role: 'viewer', sha256: sha256Hex(KEYS.bmcViewer), branches: ['BMC'] },
      { name: 'bmc-operator', role: 'operator', sha256: sha256Hex(KEYS.bmcOperator), branches: ['BMC'] },
    ]),
    branches: TEST_BRANCHES,
    legacyHeader: existsSync(headerFile) ? readFileSync(headerFile, 'utf8').split('\n')[0]! : FALLBACK_HEADER,
    partitions,
    partitionViews,
    jobs,
    jobViews: new JobViewsRepository(db),
    monitor: new MonitorRepository(db),
    fileRecords: new FileRecordsRepository(db),
    fileViews: new FileRecordViewsRepository(db),
    rawFiles: new FileStore(db, Collections.rawBucket),
    transactions: new TransactionsRepository(db),
    summaries: new SalesSummariesReader(db),
    enqueue: new EnqueueService({
      partitions,
      views: partitionViews,
      jobs,
      publisher: amqp,
      now: () => new Date(),
      inFlightFreshMs: 3_600_000,
    }),
    queues,
    cluster: createClusterReader({ inCluster: false, namespace: 'posflow' }),
    metrics: createGatewayMetrics(createRegistry('gateway-test')),
    now: () => new Date(),
  };
  const { app } = createApp(deps);
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call: Harness['call'] = (key, method, path, body, headers = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${KEYS[key]}` } : {}),
        ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  return {
    url,
    vhost,
    mongo,
    amqp,
    deps,
    call,
    json: async (key, method, path, body) => {
      const res = await call(key, method, path, body);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await amqp.close();
      await mongo.db.dropDatabase();
      await mongo.close();
      await vhost.drop();
    },
  };
}
