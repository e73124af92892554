import { ensureCoreIndexes } from '@posflow/dal';
import { SHUTDOWN_ORDER, loadEnv, startServiceBase } from '@posflow/runtime';
import { Env } from './env.js';
import { createFetcherService } from './fetcher.service.js';

// Wiring only (STYLE.md §5). Shutdown: the consumer drains (10), then the
// upstream agent and permit renewals stop (15), then broker (20), database (30), ops (40).
const env = loadEnv('fetcher', Env);
const base = await startServiceBase('fetcher', env);
await ensureCoreIndexes(base.mongo.db);

const fetcher = createFetcherService({
  db: base.mongo.db,
  publisher: base.amqp,
  logger: base.logger,
  registry: base.registry,
  config: env,
});
base.shutdown.add('upstream', SHUTDOWN_ORDER.consumers + 5, () => fetcher.close());

await base.consume('fetch', fetcher.handler, fetcher.onDeadLetter);
await base.startOps();
