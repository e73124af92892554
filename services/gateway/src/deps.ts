import type {
  FileRecordViewsRepository,
  FileRecordsRepository,
  JobViewsRepository,
  JobsRepository,
  MonitorRepository,
  PartitionsRepository,
  PartitionViewsRepository,
  SalesSummariesReader,
  TransactionsRepository,
} from '@posflow/dal';
import type { FileStore, Logger } from '@posflow/runtime';
import type { ClusterReader } from './adapters/cluster.reader.js';
import type { QueueInspector } from './adapters/queue-inspector.js';
import type { ApiKeyStore } from './auth/api-keys.js';
import type { EnqueueService } from './enqueue.service.js';
import type { GatewayMetrics } from './metrics/gateway-metrics.js';

export interface GatewaySettings {
  /** Longest date range one request may cover. */
  maxRangeDays: number;
  /** Interval of SSE progress events. */
  sseIntervalMs: number;
  rateLimit: { perMinute: number; burst: number };
  /** Largest accepted upload part. */
  maxUploadBytes: number;
  /** Folder of the static dashboard (services/gateway/public). */
  publicDir: string;
}

/** Everything the API needs, built by main.ts (or a test) and handed to createApp. */
export interface GatewayDeps {
  logger: Logger;
  settings: GatewaySettings;
  keys: ApiKeyStore;
  /** Branch codes of branches.txt. */
  branches: readonly string[];
  /** The legacy CSV's header line (no newline). */
  legacyHeader: string;
  partitions: PartitionsRepository;
  partitionViews: PartitionViewsRepository;
  jobs: JobsRepository;
  jobViews: JobViewsRepository;
  monitor: MonitorRepository;
  fileRecords: FileRecordsRepository;
  fileViews: FileRecordViewsRepository;
  rawFiles: FileStore;
  transactions: Pick<TransactionsRepository, 'queryTransactions' | 'streamRows' | 'streamLegacy'>;
  summaries: Pick<SalesSummariesReader, 'sums' | 'sumsBy'>;
  enqueue: EnqueueService;
  queues: QueueInspector;
  cluster: ClusterReader;
  metrics: GatewayMetrics;
  now: () => Date;
}
