import type { Stage } from '@posflow/contracts';
import { AmqpClient } from './amqp/amqp-client.js';
import { StageConsumer, type Handler } from './amqp/consumer.js';
import { DEFAULT_RETRY_DELAYS_MS } from './amqp/topology.js';
import { redactConfig, type BaseEnv } from './config.js';
import { createLogger, type Logger } from './logger.js';
import {
  createConnectionGauges,
  createRegistry,
  createWorkerMetrics,
  type Registry,
  type WorkerMetrics,
} from './metrics.js';
import { connectMongo, type MongoHandle } from './mongo/mongo-client.js';
import { startOpsServer, type OpsServer, type ReadinessCheck } from './ops-server.js';
import { Shutdown } from './shutdown.js';

/** Broker settings every worker shares (parsed in its env.ts). */
export interface WorkerEnv extends BaseEnv {
  PREFETCH: number;
  MAX_ATTEMPTS: number;
  RETRY_DELAYS_MS: readonly number[];
  DELIVERY_LIMIT: number;
}

export interface ServiceBase {
  logger: Logger;
  registry: Registry;
  workerMetrics: WorkerMetrics;
  mongo: MongoHandle;
  amqp: AmqpClient;
  shutdown: Shutdown;
  /** Marks the service wired (readiness can pass) and adds its own readiness checks; the ops server itself runs from the start. */
  startOps(extraChecks?: ReadinessCheck[]): Promise<OpsServer>;
  /** Creates and starts a consumer for `stage`, stopped first on shutdown. */
  consume<S extends Stage>(
    stage: S,
    handler: Handler<S>,
    onDeadLetter?: (stage: Stage, raw: unknown, reason: string) => Promise<void>,
  ): Promise<StageConsumer<S>>;
}

/** Shutdown order (ascending): consumers stop and drain (10), broker closes (20), database closes (30), ops server closes (40). */
export const SHUTDOWN_ORDER = Object.freeze({ http: 5, consumers: 10, broker: 20, database: 30, ops: 40 });

/**
 * The plumbing every service starts the same way: logger, metrics registry,
 * database, broker, shutdown. Each service's main.ts calls this, then wires its
 * own adapters and handlers (STYLE.md §5).
 */
export async function startServiceBase(
  service: string,
  env: BaseEnv & Partial<WorkerEnv>,
): Promise<ServiceBase> {
  const logger = createLogger(service, env.LOG_LEVEL);
  logger.info({ config: redactConfig(env as unknown as Record<string, unknown>) }, 'starting');
  const registry = createRegistry(service);
  const workerMetrics = createWorkerMetrics(registry);
  const gauges = createConnectionGauges(registry);
  const shutdown = new Shutdown(logger, env.SHUTDOWN_TIMEOUT_MS);
  shutdown.listen();

  // The ops server comes first so /healthz answers while the broker and the
  // database are still being reached; /readyz says "not ready" until the
  // service has finished wiring (startOps) and both connections are up.
  let wired = false;
  const checks: ReadinessCheck[] = [{ name: 'started', check: () => wired }];
  const ops = await startOpsServer({ port: env.OPS_PORT, host: env.OPS_HOST, registry, checks, logger });
  shutdown.add('ops server', SHUTDOWN_ORDER.ops, () => ops.close());

  const mongo = await connectMongo(env.MONGO_URL, logger);
  shutdown.add('database', SHUTDOWN_ORDER.database, () => mongo.close());

  const retryDelaysMs = env.RETRY_DELAYS_MS ?? DEFAULT_RETRY_DELAYS_MS;
  const amqp = new AmqpClient({
    url: env.AMQP_URL,
    logger,
    connectionName: `${service}@${process.pid}`,
    topology: { retryDelaysMs, deliveryLimit: env.DELIVERY_LIMIT ?? 5 },
    onConnectionChange: (up) => gauges.amqp.set(up ? 1 : 0),
  });
  await amqp.start();
  shutdown.add('broker', SHUTDOWN_ORDER.broker, () => amqp.close());

  checks.push(
    { name: 'broker', check: () => amqp.connected },
    {
      name: 'database',
      check: async () => {
        const ok = await mongo.ping();
        gauges.mongo.set(ok ? 1 : 0);
        return ok;
      },
    },
  );

  return {
    logger,
    registry,
    workerMetrics,
    mongo,
    amqp,
    shutdown,
    startOps: async (extra = []) => {
      checks.push(...extra);
      wired = true;
      return ops;
    },
    consume: async (stage, handler, onDeadLetter) => {
      const consumer = new StageConsumer(amqp, stage, handler, {
        prefetch: env.PREFETCH ?? 4,
        maxAttempts: env.MAX_ATTEMPTS ?? 5,
        retryDelaysMs,
        logger,
        metrics: workerMetrics,
        ...(onDeadLetter ? { onDeadLetter } : {}),
      });
      await consumer.start();
      // Drain within most of the shutdown budget, leaving time to close connections.
      shutdown.add(`consumer ${stage}`, SHUTDOWN_ORDER.consumers, () =>
        consumer.stop(Math.max(env.SHUTDOWN_TIMEOUT_MS - 3_000, 500)),
      );
      return consumer;
    },
  };
}
