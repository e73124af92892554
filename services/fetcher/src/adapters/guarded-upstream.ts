import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FileType, PartitionKey } from '@posflow/contracts';
import { errorMessage, type Logger } from '@posflow/runtime';
import type { CircuitBreaker } from '../domain/circuit-breaker.js';
import type { ListAnswer } from '../domain/list-answer.classifier.js';
import { UpstreamError, UpstreamPausedError, type RequestKind } from '../domain/upstream-error.js';
import { ExportInspector } from './export-inspector.transform.js';
import type { Limiter, Permit } from './permit-limiter.js';
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
  /** Starts a sequence of requests (one partition's list and downloads) made one at a time. */
  session(signal: AbortSignal): UpstreamSession;
}

/**
 * Requests made one after the other (one partition's list and downloads).
 * Each takes its own global permit and gives it back `settleMs` after its
 * last byte; always `close` the session (it gives back a permit still held
 * when a request was interrupted).
 */
export interface UpstreamSession {
  list(key: PartitionKey): Promise<UsableListAnswer>;
  download<T>(path: string, type: FileType, sink: DownloadSink<T>): Promise<Downloaded<T>>;
  /** Gives the permit back; idempotent. */
  close(): Promise<void>;
}

export interface GuardOptions {
  /** Tries per file within one message (connection failures only), before the message-level retry. */
  downloadTries: number;
  /** Backoff between those tries (× try number). */
  retryBackoffMs: number;
  /** How long a handler holds its message waiting for an open breaker before returning retry-later. */
  breakerMaxWaitMs: number;
  /**
   * How long a permit stays unused after a request ends before its next request (or its release):
   * the server may still be finishing a response whose last byte we already have.
   */
  settleMs: number;
}

/**
 * The politeness layer around the raw HTTP client: every request waits for
 * the circuit breaker, runs under one global permit (download and storage
 * included), and is counted in the upstream metrics.
 *
 * Why a permit per request and not one per partition (held from the list to
 * the last download): measured, a held permit cut the permit round trips from
 * ~70 to 2 per partition with 4 replicas, but it also removes the release and
 * acquire writes that separated one response's last byte from the next
 * request, and the server may still be finishing a response we have read: in
 * the reduced e2e bench at load 8-9 the simulator then counted 5 requests in
 * flight at cap 4 (also when storing a file's tail stayed inside its request,
 * and more often when it overlapped the next one). The cap is the contract,
 * so the permit goes back after every request.
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

  session(signal: AbortSignal): UpstreamSession {
    const held = new HeldPermit(this.limiter, this.metrics, this.logger, this.opts.settleMs);
    return {
      list: (key) => this.list(key, held, signal),
      download: (path, type, sink) => this.download(path, type, sink, held, signal),
      close: () => held.release(),
    };
  }

  private list(key: PartitionKey, held: HeldPermit, signal: AbortSignal): Promise<UsableListAnswer> {
    return this.guarded(
      'list',
      held,
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

  private async download<T>(
    path: string,
    type: FileType,
    sink: DownloadSink<T>,
    held: HeldPermit,
    signal: AbortSignal,
  ): Promise<Downloaded<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.guarded('download', held, signal, (ended) =>
          this.downloadOnce(path, type, sink, signal, ended),
        );
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
    ended: () => void,
  ): Promise<Downloaded<T>> {
    const started = process.hrtime.bigint();
    const res = await this.http.download(path, signal);
    // The upstream's part ends with the body's last byte; storing it may go on meanwhile.
    res.body.once('end', ended);
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
    held: HeldPermit,
    signal: AbortSignal,
    fn: (ended: () => void) => Promise<T>,
    outcomeOf: (r: T) => string = () => 'ok',
  ): Promise<T> {
    await this.waitForBreaker(signal);
    try {
      await held.ensure(signal);
    } catch (err) {
      this.breaker.onNeutral();
      throw err;
    }
    this.metrics.inFlight.inc();
    const ended = held.requestStarted();
    try {
      const result = await fn(ended);
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
      ended();
      await held.release();
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

/**
 * The global permit of a session's current request. A permit covers its
 * request plus `settleMs` after the last byte: it is given back no earlier.
 */
class HeldPermit {
  private permit: Permit | undefined;
  private lastEnd = 0;

  constructor(
    private readonly limiter: Limiter,
    private readonly metrics: UpstreamMetrics,
    private readonly logger: Logger,
    private readonly settleMs: number,
  ) {}

  async ensure(signal: AbortSignal): Promise<void> {
    if (this.permit) return;
    const waitStarted = process.hrtime.bigint();
    this.permit = await this.limiter.acquire(signal);
    this.metrics.permitWaitSeconds.observe(Number(process.hrtime.bigint() - waitStarted) / 1e9);
  }

  /** Returns the callback that marks the request's end (its first call counts). */
  requestStarted(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.lastEnd = performance.now();
    };
  }

  async release(): Promise<void> {
    const permit = this.permit;
    this.permit = undefined;
    if (!permit) return;
    await this.settle();
    await permit
      .release()
      .catch((err: unknown) =>
        this.logger.warn({ err: errorMessage(err) }, 'permit release failed; its lease will expire'),
      );
  }

  private async settle(): Promise<void> {
    const left = this.lastEnd + this.settleMs - performance.now();
    if (left > 0) await sleep(left);
  }
}
