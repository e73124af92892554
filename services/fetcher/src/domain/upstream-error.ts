import { TransientError } from '@posflow/runtime';

/** What went wrong talking to the upstream; the label values of `posflow_upstream_errors_total{error}`. */
export const UPSTREAM_ERROR_KINDS = [
  'html',
  'error-text',
  'http-5xx',
  'http-4xx',
  'timeout',
  'reset',
  'truncated',
  'invalid-header',
] as const;
export type UpstreamErrorKind = (typeof UPSTREAM_ERROR_KINDS)[number];

export type RequestKind = 'list' | 'download';

/**
 * Every upstream failure is transient for the message (the consumer retries
 * it later, then dead-letters it). `error` says which failure it was, for
 * metrics, the breaker and the monitor.
 */
export class UpstreamError extends TransientError {
  override name = 'UpstreamError';
  constructor(
    readonly request: RequestKind,
    readonly error: UpstreamErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${request} ${error}: ${message}`, `upstream-${error}`, options);
  }

  /** Content problems of one file (a store's bad upload) say nothing about the server's health. */
  get countsForBreaker(): boolean {
    return this.error !== 'invalid-header';
  }

  /** Worth an immediate second try on the same message (the connection, not the content, failed). */
  get retryableNow(): boolean {
    return (
      this.error === 'reset' ||
      this.error === 'timeout' ||
      this.error === 'truncated' ||
      this.error === 'http-5xx'
    );
  }
}

/** The breaker is open: the handler did not call the upstream. */
export class UpstreamPausedError extends TransientError {
  override name = 'UpstreamPausedError';
  constructor(message: string) {
    super(message, 'upstream-paused');
  }
}
