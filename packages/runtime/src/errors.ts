/**
 * The small error vocabulary (STYLE.md §7), mapped to broker actions by the
 * consumer: transient → retry later with backoff, permanent → dead-letter with
 * the reason, anything else → dead-letter and an error log.
 */
export class TransientError extends Error {
  override name = 'TransientError';
  constructor(
    message: string,
    readonly kind = 'transient',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(
    message: string,
    readonly kind = 'permanent',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a handler tells the consumer to do with a message. */
export type Outcome =
  | { readonly action: 'ack' }
  | { readonly action: 'retry'; readonly reason: string }
  | { readonly action: 'dead'; readonly reason: string };

export const Outcomes = Object.freeze({
  ack: (): Outcome => ({ action: 'ack' }),
  retry: (reason: string): Outcome => ({ action: 'retry', reason }),
  dead: (reason: string): Outcome => ({ action: 'dead', reason }),
});

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoNetworkTimeoutError',
  'PoolClearedError',
]);

// Driver errors that wrap a network failure (e.g. MongoBulkWriteError: connect ECONNREFUSED) say so in their message.
const TRANSIENT_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|connection \S+ to \S+ closed|connection (was )?closed|Topology is closed|not connected|Server selection timed out|PoolClearedError|interrupted at shutdown/i;

/** True when the error (or one it wraps) is a network or availability failure worth retrying later. */
export function isTransient(err: unknown, depth = 0): boolean {
  if (err instanceof TransientError) return true;
  if (!(err instanceof Error) || depth > 4) return false;
  const code = (err as { code?: unknown }).code;
  if (TRANSIENT_NAMES.has(err.name) || (typeof code === 'string' && TRANSIENT_CODES.has(code))) return true;
  const labels = (err as { errorLabels?: unknown }).errorLabels;
  if (labels instanceof Set ? labels.has('ResetPool') || labels.has('RetryableWriteError') : false)
    return true;
  if (TRANSIENT_MESSAGE.test(err.message)) return true;
  return isTransient((err as { cause?: unknown }).cause, depth + 1);
}

/** Maps an error thrown by a handler to an outcome. */
export function outcomeForError(err: unknown): Outcome {
  if (err instanceof PermanentError) return Outcomes.dead(err.message);
  if (err instanceof TransientError) return Outcomes.retry(err.message);
  if (isTransient(err))
    return Outcomes.retry(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  if (err instanceof Error) return Outcomes.dead(`unexpected ${err.name}: ${err.message}`);
  return Outcomes.dead(`unexpected throw: ${String(err)}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
