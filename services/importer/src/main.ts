import { ensureCoreIndexes, ensureDataIndexes } from '@posflow/dal';
import { SHUTDOWN_ORDER, loadEnv, startServiceBase } from '@posflow/runtime';
import { Env } from './env.js';
import { createImporterService } from './importer.service.js';

// The importer's only wiring point (STYLE.md §5). Shutdown order is the
// service base's: consumer drains, broker closes, database closes, ops closes.
const env = loadEnv('importer', Env);
const base = await startServiceBase('importer', env);
await ensureCoreIndexes(base.mongo.db);
await ensureDataIndexes(base.mongo.db);
const importer = createImporterService({
  db: base.mongo.db,
  registry: base.registry,
  logger: base.logger,
  batchSize: env.IMPORT_BATCH_SIZE,
  jobRefreshDelayMs: env.JOB_REFRESH_DELAY_MS,
  rebuildPolicy: { quietMs: env.MONTH_SUMMARY_QUIET_MS, maxLagMs: env.MONTH_SUMMARY_MAX_LAG_MS },
});
await base.consume('import', importer.handler, importer.onDeadLetter);
importer.monthSummaries.start(env.MONTH_SUMMARY_INTERVAL_MS);
// after the consumer has drained (its last loads' marks are written), before the database closes
base.shutdown.add('month summaries', SHUTDOWN_ORDER.consumers + 1, () => importer.monthSummaries.stop());
// the jobs of the last loads are settled before the database closes
base.shutdown.add('job settles', SHUTDOWN_ORDER.consumers + 1, () => importer.jobs.flush());
await base.startOps();
