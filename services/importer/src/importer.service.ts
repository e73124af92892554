import type { Db } from 'mongodb';
import {
  JobSettler,
  JobsRepository,
  MonitorRepository,
  PartitionsRepository,
  REBUILD_NOW,
  RollupsRepository,
  SalesSummariesWriter,
  TransactionsRepository,
  type RebuildPolicy,
} from '@posflow/dal';
import type { Logger, Registry } from '@posflow/runtime';
import { GridFsArtifactSource, type ArtifactSource } from './adapters/artifact-store.js';
import { createDeadLetterHook } from './dead-letter.hook.js';
import { createImportHandler } from './import-partition.handler.js';
import { createImportMetrics } from './import-metrics.js';
import { createMonthSummaryRebuilder } from './month-summary.rebuilder.js';

export interface ImporterServiceDeps {
  db: Db;
  registry: Registry;
  logger: Logger;
  batchSize: number;
  /** Loads of one job within this long settle it once (JobSettler); default 0: after each load. */
  jobRefreshDelayMs?: number;
  /** When dirty months are rebuilt; default: at every pass. */
  rebuildPolicy?: RebuildPolicy;
  /** Defaults to the GridFS `artifacts` bucket. */
  artifacts?: ArtifactSource;
}

/** Builds the importer's repositories and returns its handler and dead-letter hook (main.ts and tests wire them). */
export function createImporterService(deps: ImporterServiceDeps) {
  const partitions = new PartitionsRepository(deps.db);
  const jobs = new JobSettler(new JobsRepository(deps.db, partitions), deps.jobRefreshDelayMs ?? 0, deps.logger);
  const transactions = new TransactionsRepository(deps.db);
  const rollups = new RollupsRepository(deps.db);
  const summaries = new SalesSummariesWriter(deps.db);
  const monitor = new MonitorRepository(deps.db);
  const metrics = createImportMetrics(deps.registry);
  const handler = createImportHandler({
    partitions,
    jobs,
    transactions,
    rollups,
    summaries,
    artifacts: deps.artifacts ?? new GridFsArtifactSource(deps.db),
    metrics,
    batchSize: deps.batchSize,
  });
  const onDeadLetter = createDeadLetterHook({
    partitions,
    jobs,
    monitor,
    transactions,
    rollups,
    summaries,
    logger: deps.logger,
  });
  const monthSummaries = createMonthSummaryRebuilder({
    summaries,
    policy: deps.rebuildPolicy ?? REBUILD_NOW,
    logger: deps.logger,
    onRebuilt: (_months, seconds) => metrics.summaryRebuildSeconds.observe(seconds),
  });
  return { handler, onDeadLetter, metrics, monthSummaries, jobs };
}
