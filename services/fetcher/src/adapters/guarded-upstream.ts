import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FileType, PartitionKey } from '@posflow/contracts';
import { errorMessage, type Logger } from '@posflow/runtime';
import type { CircuitBreaker } from '../domain/circuit-breaker.js';
import type { ListAnswer } from '../domain/list-answer.classifier.js';
import { UpstreamError, UpstreamPausedError, type RequestKind } from '../domain/upstream-error.js';
import { ExportInspector } from './export-inspector.transform.js';
import type { Limiter } from './permit-limiter.js';
import type { SharedBreakerStore } from './shared-breaker.store.js';
import { toUpstreamError, type UpstreamHttpClient } from './upstream-http.client.js';
import type { UpstreamMetrics } from './upstream.metrics.js';

/** A listing the handler can act on: failures (HTML, error text, transport) are thrown as UpstreamError. */
export type UsableListAnswer = Extract<ListAnswer, { kind: 'files' | 'empty' }>;

/** Where a download's body goes: the sink must pipe `body` through `inspector` (FileStore.upload does). */
export type DownloadSink<T> = (res: { body: Readable; inspector: ExportInspector }) => Promise<T>;

export interface Downloaded<T> {
  value: T;
  dataRows: number;
  bytes: number;
}

/** What the fetch handler needs from the upstream. */
export interface UpstreamPort {
  list(key: PartitionKey, signal: AbortSignal): Promise<UsableListAnswer>;
  download<T>(
    path: string,
    type: FileType,
    sink: DownloadSink<T>,
    signal: AbortSignal,
  ): Promise<Downloaded<T>>;
}

export interface GuardOptions {
  /** Tries per file within one message (connection failures only), before the message-level retry. */
  downloadTries: number;
  /** Backoff between those tries (× try number). */
  retryBackoffMs: number;
  /** How long a handler holds its message waiting for an open breaker before returning retry-later. */
  breakerMaxWaitMs: number;
}

/**
 * The politeness layer around the raw HTTP client: every request waits for
 * the circuit breaker, holds one global permit for its whole duration
 * (download and storage included), and is counted in the upstream metrics.
 */
export class GuardedUpstream implements UpstreamPort {
  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly limiter: Limiter,
    private readonly breaker: CircuitBreaker,
    private readonly shared: SharedBreakerStore | undefined,
    private readonly metrics: UpstreamMetrics,
    private readonly opts: GuardOptions,
    private readonly logger: Logger,
  ) {}

  list(key: PartitionKey, signal: AbortSignal): Promise<UsableListAnswer> {
    return this.guarded(
      'list',
      signal,
      async () => {
        const answer = await this.http.list(key, signal);
        if (answer.kind === 'html' || answer.kind === 'error-text')
          throw new UpstreamError('list', answer.kind, answer.sample);
        return answer;
      },
      (a) => (a.kind === 'empty' ? 'empty' : 'ok'),
    );
  }

  async download<T>(
    path: string,
    type: FileType,
    sink: DownloadSink<T>,
    signal: AbortSignal,
  ): Promise<Downloaded<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.guarded('download', signal, () => this.downloadOnce(path, type, sink, signal));
      } catch (err) {
        if (!(err instanceof UpstreamError && err.retryableNow && attempt < this.opts.downloadTries))
          throw err;
        this.logger.info({ path, attempt, error: err.error }, 'download failed, trying again');
        await sleep(this.opts.retryBackoffMs * attempt, undefined, { signal });
      }
    }
  }

  private async downloadOnce<T>(
    path: string,
    type: FileType,
    sink: DownloadSink<T>,
    signal: AbortSignal,
  ): Promise<Downloaded<T>> {
    const started = process.hrtime.bigint();
    const res = await this.http.download(path, signal);
    const inspector = new ExportInspector(type, res.contentLength, (n) => this.metrics.bytes.inc(n));
    try {
      const value = await sink({ body: res.body, inspector });
      this.metrics.downloadSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return { value, dataRows: inspector.dataRows, bytes: inspector.bytes };
    } catch (err) {
      if (err instanceof UpstreamError || signal.aborted) throw err;
      if (res.timedOut())
        throw new UpstreamError('download', 'timeout', 'download budget exceeded', { cause: err });
      // A clean close (FIN, not RST) before Content-Length bytes: the server cut the body short.
      if (
        (err as { code?: unknown }).code === 'UND_ERR_SOCKET' &&
        res.contentLength !== undefined &&
        inspector.bytes < res.contentLength
      ) {
        throw new UpstreamError(
          'download',
          'truncated',
          `connection closed after ${inspector.bytes} of ${res.contentLength} bytes`,
          { cause: err },
        );
      }
      throw toUpstreamError('download', err, signal);
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
  }

  private async guarded<T>(
    kind: RequestKind,
    signal: AbortSignal,
    fn: () => Promise<T>,
    outcomeOf: (r: T) => string = () => 'ok',
  ): Promise<T> {
    await this.waitForBreaker(signal);
    let permit;
    const waitStarted = process.hrtime.bigint();
    try {
      permit = await this.limiter.acquire(signal);
    } catch (err) {
      this.breaker.onNeutral();
      throw err;
    }
    this.metrics.permitWaitSeconds.observe(Number(process.hrtime.bigint() - waitStarted) / 1e9);
    this.metrics.inFlight.inc();
    try {
      const result = await fn();
      this.breaker.onSuccess();
      this.metrics.requests.inc({ kind, outcome: outcomeOf(result) });
      return result;
    } catch (err) {
      if (err instanceof UpstreamError) {
        this.metrics.requests.inc({ kind, outcome: 'error' });
        this.metrics.errors.inc({ kind, error: err.error });
        if (err.countsForBreaker) this.breaker.onFailure();
        else this.breaker.onSuccess();
      } else {
        this.breaker.onNeutral();
      }
      throw err;
    } finally {
      this.metrics.inFlight.dec();
      await permit
        .release()
        .catch((err: unknown) =>
          this.logger.warn({ err: errorMessage(err) }, 'permit release failed; its lease will expire'),
        );
    }
  }

  /** While the breaker is open, wait (holding the message, not calling the upstream) up to breakerMaxWaitMs. */
  private async waitForBreaker(signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.opts.breakerMaxWaitMs;
    for (;;) {
      await this.shared
        ?.sync(this.breaker)
        .catch((err: unknown) => this.logger.warn({ err: errorMessage(err) }, 'breaker state read failed'));
      const decision = this.breaker.tryAcquire();
      if (decision.allowed) return;
      if (Date.now() + decision.retryInMs > deadline)
        throw new UpstreamPausedError(`upstream paused by the circuit breaker for ${decision.retryInMs} ms`);
      await sleep(Math.min(decision.retryInMs, 1_000) * (0.5 + Math.random() / 2), undefined, { signal });
    }
  }
}
