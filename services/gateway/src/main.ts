import { createServer } from 'node:http';
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
  FileStore,
  IntervalTask,
  SHUTDOWN_ORDER,
  ensureIndexes,
  loadEnv,
  startServiceBase,
} from '@posflow/runtime';
import { createClusterReader } from './adapters/cluster.reader.js';
import { RabbitQueueInspector, vhostOf } from './adapters/queue-inspector.js';
import { loadBranches, loadLegacyHeader } from './adapters/reference.adapter.js';
import { createApp } from './app.js';
import { ApiKeyStore } from './auth/api-keys.js';
import { EnqueueService } from './enqueue.service.js';
import { StuckPartitionSweeper } from './stuck-partitions.sweeper.js';
import { Env } from './env.js';
import { createGatewayMetrics } from './metrics/gateway-metrics.js';
import { MetricsRefresher } from './metrics/metrics-refresher.js';

// Wiring only (STYLE.md §5). Shutdown: the public server stops taking requests first (5),
// then the broker (20), the database (30) and the ops server (40) close.
const env = loadEnv('gateway', Env);
const keys = ApiKeyStore.fromConfig(env.POSFLOW_API_KEYS, env.POSFLOW_API_KEY);
const base = await startServiceBase('gateway', env);
const { logger, mongo, amqp, shutdown } = base;
if (keys.size === 0) logger.warn({}, 'no API keys configured: every API request will be refused');

const db = mongo.db;
await ensureCoreIndexes(db);
await ensureIndexes(db, {
  [Collections.transactions]: transactionIndexes,
  ...summaryIndexes,
});

const now = () => new Date();
const branches = await loadBranches(env.REFERENCE_DIR);
const legacyHeader = await loadLegacyHeader(env.REFERENCE_DIR);
const partitions = new PartitionsRepository(db);
const partitionViews = new PartitionViewsRepository(db);
const jobs = new JobsRepository(db, partitions);
const monitor = new MonitorRepository(db);
const queues = new RabbitQueueInspector(env.RABBITMQ_MANAGEMENT_URL, vhostOf(env.AMQP_URL), amqp);
await queues.start();
const metrics = createGatewayMetrics(base.registry);
const enqueue = new EnqueueService({
  partitions,
  views: partitionViews,
  jobs,
  publisher: amqp,
  now,
  inFlightFreshMs: env.INFLIGHT_FRESH_MS,
});

const { app } = createApp({
  logger,
  settings: {
    maxRangeDays: env.MAX_RANGE_DAYS,
    sseIntervalMs: env.SSE_INTERVAL_MS,
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, burst: env.RATE_LIMIT_BURST },
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    publicDir: env.PUBLIC_DIR ?? fileURLToPath(new URL('../public', import.meta.url)),
  },
  keys,
  branches,
  legacyHeader,
  partitions,
  partitionViews,
  jobs,
  jobViews: new JobViewsRepository(db),
  monitor,
  fileRecords: new FileRecordsRepository(db),
  fileViews: new FileRecordViewsRepository(db),
  rawFiles: new FileStore(db, Collections.rawBucket),
  transactions: new TransactionsRepository(db),
  summaries: new SalesSummariesReader(db),
  enqueue,
  queues,
  cluster: createClusterReader({ inCluster: !!env.KUBERNETES_SERVICE_HOST, namespace: env.POSFLOW_NAMESPACE }),
  metrics,
  now,
});

const refresher = new MetricsRefresher({ metrics, partitionViews, monitor, queues, branches: () => branches, logger, now });
const metricsLoop = new IntervalTask({
  name: 'metrics refresh',
  run: () => refresher.refresh(),
  logger,
  runAtStart: true,
});
metricsLoop.start(env.METRICS_REFRESH_MS);
const sweeper = new StuckPartitionSweeper({
  views: partitionViews,
  enqueue,
  logger,
  now,
  stuckAfterMs: env.INFLIGHT_FRESH_MS,
});
const sweepLoop = new IntervalTask({ name: 'stuck-partition sweep', run: () => sweeper.sweep(), logger });
if (env.STUCK_SWEEP_INTERVAL_MS > 0) sweepLoop.start(env.STUCK_SWEEP_INTERVAL_MS);

const server = createServer(app);
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(env.GATEWAY_PORT, env.GATEWAY_HOST, resolve);
});
logger.info({ port: env.GATEWAY_PORT }, 'api listening');
shutdown.add('http', SHUTDOWN_ORDER.http, async () => {
  await Promise.all([metricsLoop.stop(), sweepLoop.stop()]);
  // SSE streams and long exports would hold close() open: give them a moment, then cut them.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), 2_000);
  await closed;
  clearTimeout(cut);
});
await base.startOps();
