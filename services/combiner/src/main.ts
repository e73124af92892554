import { ensureCoreIndexes } from '@posflow/dal';
import { SHUTDOWN_ORDER, loadEnv, startServiceBase } from '@posflow/runtime';
import { createCombinerService } from './combiner.service.js';
import { Env } from './env.js';

// Wiring only (STYLE.md §5). Shutdown: the consumer drains (10), then the
// reference watcher stops (15), then broker (20), database (30), ops (40).
const env = loadEnv('combiner', Env);
const base = await startServiceBase('combiner', env);
await ensureCoreIndexes(base.mongo.db);

const combiner = await createCombinerService({
  db: base.mongo.db,
  publisher: base.amqp,
  logger: base.logger,
  registry: base.registry,
  config: env,
});
base.shutdown.add('reference data', SHUTDOWN_ORDER.consumers + 5, () => combiner.close());

await base.consume('combine', combiner.handler, combiner.onDeadLetter);
await base.startOps();
