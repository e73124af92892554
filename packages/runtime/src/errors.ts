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

/** Maps an error thrown by a handler to an outcome. */
export function outcomeForError(err: unknown): Outcome {
  if (err instanceof PermanentError) return Outcomes.dead(err.message);
  if (err instanceof TransientError) return Outcomes.retry(err.message);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (TRANSIENT_NAMES.has(err.name) || (typeof code === 'string' && TRANSIENT_CODES.has(code))) {
      return Outcomes.retry(`${err.name}: ${err.message}`);
    }
    return Outcomes.dead(`unexpected ${err.name}: ${err.message}`);
  }
  return Outcomes.dead(`unexpected throw: ${String(err)}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
