// Test-only helpers for the fetcher's integration tests (excluded from the build).
import { setTimeout as sleep } from 'node:timers/promises';
import { Collections, Queues, type PartitionKey } from '@posflow/contracts';
import { ensureCoreIndexes } from '@posflow/dal';
import {
  AmqpClient,
  StageConsumer,
  connectMongo,
  createLogger,
  createRegistry,
  makeMessage,
  type MongoHandle,
  type Registry,
} from '@posflow/runtime';
import { QueueProbe as BrokerProbe } from '@posflow/runtime/testing';
import { Env } from '../env.js';
import { createFetcherService, type FetcherService } from '../fetcher.service.js';

export const RETRY_DELAYS = '200,400';

/** Env for a test fetcher: short retries and timeouts so failures settle quickly. */
export function testEnv(
  upstreamUrl: string,
  amqpUrl: string,
  mongoUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AMQP_URL: amqpUrl,
    MONGO_URL: mongoUrl,
    UPSTREAM_BASE_URL: upstreamUrl,
    RETRY_DELAYS_MS: RETRY_DELAYS,
    MAX_ATTEMPTS: '4',
    PREFETCH: '4',
    UPSTREAM_TIMEOUT_MS: '3000',
    UPSTREAM_IDLE_TIMEOUT_MS: '2000',
    UPSTREAM_RETRY_BACKOFF_MS: '50',
    UPSTREAM_PERMIT_LEASE_MS: '5000',
    BREAKER_FAILURE_THRESHOLD: '50',
    BREAKER_OPEN_MS: '500',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...extra,
  };
}

export interface InProcessFetcher {
  service: FetcherService;
  registry: Registry;
  mongo: MongoHandle;
  amqp: AmqpClient;
  stop(): Promise<void>;
}

/** One fetcher "replica" in this process, with its own broker connection and database client. */
export async function startInProcessFetcher(env: Record<string, string>): Promise<InProcessFetcher> {
  const config = Env.parse(env);
  const logger = createLogger('fetcher-test', config.LOG_LEVEL);
  const registry = createRegistry('fetcher');
  const mongo = await connectMongo(config.MONGO_URL, logger);
  await ensureCoreIndexes(mongo.db);
  const client = new AmqpClient({
    url: config.AMQP_URL,
    logger,
    connectionName: 'fetcher-test',
    topology: { retryDelaysMs: config.RETRY_DELAYS_MS, deliveryLimit: config.DELIVERY_LIMIT },
  });
  await client.start();
  const service = createFetcherService({ db: mongo.db, publisher: client, logger, registry, config });
  const consumer = new StageConsumer(client, 'fetch', service.handler, {
    prefetch: config.PREFETCH,
    maxAttempts: config.MAX_ATTEMPTS,
    retryDelaysMs: config.RETRY_DELAYS_MS,
    logger,
    onDeadLetter: service.onDeadLetter,
  });
  await consumer.start();
  return {
    service,
    registry,
    mongo,
    amqp: client,
    stop: async () => {
      await consumer.stop(5_000);
      await service.close();
      await client.close();
      await mongo.close();
    },
  };
}

/** The shared broker probe, with the fetch request this service consumes. */
export class QueueProbe extends BrokerProbe {
  async publishFetch(key: PartitionKey, opts: { force?: boolean; jobId?: string } = {}): Promise<string> {
    const msg = makeMessage('fetch.requested', 1, {
      partition: key,
      force: opts.force ?? false,
      ...(opts.jobId ? { jobId: opts.jobId } : {}),
    });
    await this.publish('fetch', msg);
    return msg.id;
  }
}

export const COMBINE_QUEUE = Queues.work('combine');
export const FETCH_DEAD = Queues.dead('fetch');

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function gridfsCounts(mongo: MongoHandle): Promise<{ files: number; chunks: number }> {
  return {
    files: await mongo.db.collection(`${Collections.rawBucket}.files`).countDocuments(),
    chunks: await mongo.db.collection(`${Collections.rawBucket}.chunks`).countDocuments(),
  };
}
