import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import { Collections } from '@posflow/contracts';
import { FileRecordsRepository, JobsRepository, MonitorRepository, PartitionsRepository } from '@posflow/dal';
import { FileStore, errorMessage, type Handler, type Logger, type Registry } from '@posflow/runtime';
import { GuardedUpstream } from './adapters/guarded-upstream.js';
import { MongoPermitLimiter } from './adapters/permit-limiter.js';
import { SharedBreakerStore } from './adapters/shared-breaker.store.js';
import { UpstreamHttpClient } from './adapters/upstream-http.client.js';
import { createUpstreamMetrics } from './adapters/upstream.metrics.js';
import { BREAKER_GAUGE, CircuitBreaker } from './domain/circuit-breaker.js';
import type { Env } from './env.js';
import { createFetchDeadLetterHook } from './fetch-dead-letter.hook.js';
import { createFetchPartitionHandler, type Publisher } from './fetch-partition.handler.js';

export interface FetcherServiceDeps {
  db: Db;
  publisher: Publisher;
  logger: Logger;
  registry: Registry;
  config: Env;
}

export interface FetcherService {
  handler: Handler<'fetch'>;
  onDeadLetter: ReturnType<typeof createFetchDeadLetterHook>;
  breaker: CircuitBreaker;
  /** Stops permit renewals and closes the HTTP agent (after the consumer has drained). */
  close(): Promise<void>;
}

/**
 * Builds the fetcher's adapters and handlers from a database, a publisher and
 * the config. main.ts calls it once; integration tests call it per simulated
 * replica, each with its own connections.
 */
export function createFetcherService(deps: FetcherServiceDeps): FetcherService {
  const { db, config, logger } = deps;
  const replica = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const metrics = createUpstreamMetrics(deps.registry);
  const base = new URL(config.UPSTREAM_BASE_URL);

  const shared = config.BREAKER_SHARED ? new SharedBreakerStore(db, 'upstream', replica) : undefined;
  const breaker = new CircuitBreaker({
    failureThreshold: config.BREAKER_FAILURE_THRESHOLD,
    openMs: config.BREAKER_OPEN_MS,
    onChange: (state, openUntil) => {
      metrics.breakerState.set(BREAKER_GAUGE[state]);
      logger.warn(
        { state, openUntil: state === 'open' ? new Date(openUntil).toISOString() : undefined },
        'upstream circuit breaker changed',
      );
      if (state === 'open')
        shared
          ?.publishOpen(openUntil)
          .catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'breaker state write failed'));
    },
  });
  metrics.breakerState.set(BREAKER_GAUGE.closed);

  const http = new UpstreamHttpClient({
    baseUrl: config.UPSTREAM_BASE_URL,
    userAgent: config.UPSTREAM_USER_AGENT,
    referer: config.UPSTREAM_REFERER ?? config.UPSTREAM_BASE_URL,
    origin: config.UPSTREAM_ORIGIN ?? base.origin,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    idleTimeoutMs: config.UPSTREAM_IDLE_TIMEOUT_MS,
    downloadTimeoutMs: config.UPSTREAM_DOWNLOAD_TIMEOUT_MS,
  });
  const limiter = new MongoPermitLimiter(db, {
    name: 'upstream',
    permits: config.UPSTREAM_MAX_CONCURRENCY,
    leaseMs: config.UPSTREAM_PERMIT_LEASE_MS,
    holderPrefix: replica,
  });
  const upstream = new GuardedUpstream(
    http,
    limiter,
    breaker,
    shared,
    metrics,
    {
      downloadTries: config.UPSTREAM_DOWNLOAD_TRIES,
      retryBackoffMs: config.UPSTREAM_RETRY_BACKOFF_MS,
      breakerMaxWaitMs: config.BREAKER_MAX_WAIT_MS,
      settleMs: config.UPSTREAM_PERMIT_SETTLE_MS,
    },
    logger,
  );

  const partitions = new PartitionsRepository(db);
  const jobs = new JobsRepository(db, partitions);
  const monitor = new MonitorRepository(db);
  const handler = createFetchPartitionHandler({
    partitions,
    jobs,
    monitor,
    fileRecords: new FileRecordsRepository(db),
    upstream,
    rawFiles: new FileStore(db, Collections.rawBucket),
    publisher: deps.publisher,
  });
  const onDeadLetter = createFetchDeadLetterHook({ partitions, jobs, monitor, logger });

  return {
    handler,
    onDeadLetter,
    breaker,
    close: async () => {
      limiter.close();
      await http.close();
    },
  };
}
