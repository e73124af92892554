import { mkdir } from 'node:fs/promises';
import type { Db } from 'mongodb';
import { Collections } from '@posflow/contracts';
import {
  DroppedRowsRepository,
  FileRecordsRepository,
  JobsRepository,
  MonitorRepository,
  PartitionsRepository,
} from '@posflow/dal';
import { FileStore, ensureIndexes, type Handler, type Logger, type Registry } from '@posflow/runtime';
import { ArtifactStore } from './adapters/artifact.store.js';
import { createCombineMetrics } from './adapters/combine.metrics.js';
import {
  chooseFiles,
  describeReference,
  engine,
  loadReference,
  type Reference,
} from './adapters/combine-engine.adapter.js';
import { ReferenceStore } from './adapters/reference.store.js';
import { sweepStaleSpills } from './adapters/stale-spill.sweeper.js';
import { createCombineDeadLetterHook } from './combine-dead-letter.hook.js';
import { createCombinePartitionHandler, type Publisher } from './combine-partition.handler.js';
import type { Env } from './env.js';

/** A spill folder untouched this long belongs to no running combine (a live one is written or read continuously). */
const STALE_SPILL_MS = 60 * 60 * 1000;

export type CombinerConfig = Pick<
  Env,
  'REFERENCE_DIR' | 'REFERENCE_RELOAD_MS' | 'TMP_DIR' | 'DROPPED_ROWS_BATCH'
>;

export interface CombinerServiceDeps {
  db: Db;
  publisher: Publisher;
  logger: Logger;
  registry: Registry;
  config: CombinerConfig;
}

export interface CombinerService {
  handler: Handler<'combine'>;
  onDeadLetter: ReturnType<typeof createCombineDeadLetterHook>;
  reference: ReferenceStore<Reference>;
  /** Stops the reference watcher (after the consumer has drained). */
  close(): Promise<void>;
}

/**
 * Builds the combiner's adapters and handlers from a database, a publisher
 * and the config; loads the reference data (throws when it cannot). main.ts
 * calls it once; integration tests call it in-process with their own
 * vhost and database.
 */
export async function createCombinerService(deps: CombinerServiceDeps): Promise<CombinerService> {
  const { db, config, logger } = deps;
  await mkdir(config.TMP_DIR, { recursive: true });
  const swept = await sweepStaleSpills(config.TMP_DIR, STALE_SPILL_MS);
  if (swept > 0) logger.info({ tmpDir: config.TMP_DIR, removed: swept }, 'stale spill folders removed');
  // Lets a redelivered request find the artifact it already produced.
  await ensureIndexes(db, {
    [`${Collections.artifactBucket}.files`]: [{ key: { 'metadata.requestId': 1 }, name: 'request_id' }],
  });

  const reference = new ReferenceStore<Reference>({
    dir: config.REFERENCE_DIR,
    load: loadReference,
    describe: describeReference,
    reloadMs: config.REFERENCE_RELOAD_MS,
    logger,
  });
  await reference.start();

  const partitions = new PartitionsRepository(db);
  const jobs = new JobsRepository(db, partitions);
  const monitor = new MonitorRepository(db);
  const rawFiles = new FileStore(db, Collections.rawBucket);
  const handler = createCombinePartitionHandler<Reference>({
    partitions,
    fileRecords: new FileRecordsRepository(db),
    monitor,
    droppedRows: new DroppedRowsRepository(db),
    artifacts: new ArtifactStore(db),
    rawFiles: { download: (id) => rawFiles.download(id) },
    engine,
    chooseFiles,
    reference: () => reference.current,
    publisher: deps.publisher,
    metrics: createCombineMetrics(deps.registry),
    tmpDir: config.TMP_DIR,
    droppedRowsBatch: config.DROPPED_ROWS_BATCH,
  });
  const onDeadLetter = createCombineDeadLetterHook({ partitions, jobs, monitor, logger });

  return {
    handler,
    onDeadLetter,
    reference,
    close: async () => reference.stop(),
  };
}
