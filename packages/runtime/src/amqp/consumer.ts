import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { Catalog, Exchanges, Headers, Queues, type MessageOf, type Stage } from '@posflow/contracts';
import { type Outcome, Outcomes, errorMessage, outcomeForError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics.js';
import type { AmqpClient } from './amqp-client.js';
import { parseEnvelope } from './parse-envelope.js';
import { retryDelayFor, retryRoutingKey } from './topology.js';

export interface HandlerContext {
  /** 0 on the first delivery; +1 per delayed retry (our header, not x-death). */
  attempt: number;
  /** True when the broker says this delivery was delivered before (e.g. a worker died holding it). */
  redelivered: boolean;
  logger: Logger;
  /** Aborted when shutdown gives up waiting for this message. */
  signal: AbortSignal;
}

export type Handler<S extends Stage> = (message: MessageOf<S>, ctx: HandlerContext) => Promise<Outcome>;

/** One handler per stage a service consumes; a missing one is a compile error where the map is typed. */
export type HandlerMap<S extends Stage> = { [K in S]: Handler<K> };

export interface ConsumerOptions {
  prefetch: number;
  /** After this many delayed retries the message is dead-lettered. */
  maxAttempts: number;
  retryDelaysMs: readonly number[];
  logger: Logger;
  metrics?: WorkerMetrics;
  /** Called with the reason when a message is dead-lettered (e.g. to mark its partition failed). */
  onDeadLetter?: (stage: Stage, raw: unknown, reason: string) => Promise<void>;
}

/**
 * Consumes one stage's queue with manual acks and a prefetch. Every message
 * is safeParsed against the stage's catalog; an invalid one is dead-lettered
 * with the reason. Handler outcomes map to broker actions: ack; retry-later
 * (republished to a TTL queue with attempt+1, then acked); dead (published to
 * the dead-letter exchange with the reason, then acked). Never a hot requeue.
 */
export class StageConsumer<S extends Stage> {
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly hook = (conn: ChannelModel) => this.subscribe(conn);

  constructor(
    private readonly client: AmqpClient,
    readonly stage: S,
    private readonly handler: Handler<S>,
    private readonly opts: ConsumerOptions,
  ) {}

  async start(): Promise<void> {
    await this.client.onConnected(this.hook);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Stops taking messages, waits for in-flight ones up to `graceMs`, then closes the channel (unacked messages go back to the queue). */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.client.removeHook(this.hook);
    const ch = this.channel;
    if (ch && this.consumerTag) await ch.cancel(this.consumerTag).catch(() => undefined);
    const drained = Promise.allSettled([...this.inFlight]);
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([drained, timer])) === 'timeout') {
      this.opts.logger.warn(
        { stage: this.stage, inFlight: this.inFlight.size },
        'in-flight messages not finished, returning them to the queue',
      );
      this.abort.abort();
    }
    this.channel = undefined;
    if (ch) await ch.close().catch(() => undefined);
  }

  private async subscribe(conn: ChannelModel): Promise<void> {
    if (this.stopped) return;
    const ch = await conn.createChannel();
    ch.on('error', (err: unknown) =>
      this.opts.logger.warn({ err: errorMessage(err), stage: this.stage }, 'consumer channel error'),
    );
    // A channel the broker closes while the connection stays (a channel error, an ack timeout)
    // would otherwise leave the service connected and consuming nothing: subscribe again.
    // (When the whole connection goes, the client's reconnect hook subscribes instead.)
    ch.once('close', () => setImmediate(() => void this.resubscribe(conn, ch)));
    await ch.prefetch(this.opts.prefetch);
    const { consumerTag } = await ch.consume(Queues.work(this.stage), (msg) => {
      if (!msg) {
        // Cancelled by the broker (e.g. the queue was deleted): a fresh channel subscribes again.
        this.opts.logger.warn({ stage: this.stage }, 'consumer cancelled by the broker');
        void ch.close().catch(() => undefined);
        return;
      }
      const p = this.handle(ch, msg).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    });
    this.channel = ch;
    this.consumerTag = consumerTag;
    this.opts.logger.info({ stage: this.stage, prefetch: this.opts.prefetch }, 'consuming');
  }

  /** Subscribes on a new channel of the same connection when `closed` was ours and the connection is still up. */
  private async resubscribe(conn: ChannelModel, closed: Channel): Promise<void> {
    if (this.stopped || this.channel !== closed || !this.client.isCurrent(conn)) return;
    this.channel = undefined;
    this.opts.logger.warn({ stage: this.stage }, 'consumer channel closed, subscribing again');
    await new Promise((r) => setTimeout(r, RESUBSCRIBE_DELAY_MS));
    try {
      if (!this.stopped && this.channel === undefined && this.client.isCurrent(conn))
        await this.subscribe(conn);
    } catch (err) {
      // E.g. the queue is gone: a reconnect declares the topology again and subscribes.
      this.opts.logger.warn({ err: errorMessage(err), stage: this.stage }, 'could not subscribe again');
      this.client.reconnect(conn);
    }
  }

  private async handle(ch: Channel, msg: ConsumeMessage): Promise<void> {
    const started = process.hrtime.bigint();
    const attempt = Number(msg.properties.headers?.[Headers.attempt] ?? 0) || 0;
    const log = this.opts.logger.child({
      stage: this.stage,
      messageId: msg.properties.messageId as string | undefined,
      attempt,
    });
    this.opts.metrics?.inFlight.inc({ stage: this.stage });
    let outcome: Outcome;
    let raw: unknown;
    try {
      const parsed = parseEnvelope(Catalog[this.stage], msg.content);
      raw = parsed.raw;
      if (!parsed.ok) {
        outcome = Outcomes.dead(parsed.reason);
      } else {
        const message = parsed.message as MessageOf<S>;
        const partition = (message.payload as { partition?: { branch: string; pos: number; date: string } })
          .partition;
        const ctxLog = partition
          ? log.child({ partition: `${partition.branch}_${partition.pos}_${partition.date}` })
          : log;
        try {
          outcome = await this.handler(message, {
            attempt,
            redelivered: msg.fields.redelivered,
            logger: ctxLog,
            signal: this.abort.signal,
          });
        } catch (err) {
          outcome = outcomeForError(err);
          if (outcome.action === 'dead') ctxLog.error({ err }, 'handler failed unexpectedly');
        }
      }
      await this.settle(ch, msg, outcome, attempt, raw, log);
    } catch (err) {
      // Could not ack/retry/dead-letter (channel or broker gone): the broker
      // redelivers the unacked message after reconnect.
      log.warn({ err: errorMessage(err) }, 'could not settle message; it will be redelivered');
    } finally {
      this.opts.metrics?.inFlight.dec({ stage: this.stage });
      this.opts.metrics?.duration.observe(
        { stage: this.stage },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  /**
   * Runs the hook that records the failure (partition `failed`, monitor
   * entry), retrying with backoff: a dead letter whose partition was never
   * marked failed would leave it stuck mid-lifecycle.
   */
  private async runDeadLetterHook(raw: unknown, reason: string, log: Logger): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await this.opts.onDeadLetter?.(this.stage, raw, reason);
        return;
      } catch (err) {
        const delay = HOOK_RETRY_DELAYS_MS[i];
        if (delay === undefined || this.stopped) {
          log.error({ err: errorMessage(err) }, 'dead-letter hook failed');
          return;
        }
        log.warn({ err: errorMessage(err), retryInMs: delay }, 'dead-letter hook failed, retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async settle(
    ch: Channel,
    msg: ConsumeMessage,
    outcome: Outcome,
    attempt: number,
    raw: unknown,
    log: Logger,
  ): Promise<void> {
    let action = outcome.action;
    let reason = outcome.action === 'ack' ? '' : outcome.reason;
    if (outcome.action === 'retry' && attempt + 1 > this.opts.maxAttempts) {
      action = 'dead';
      reason = `gave up after ${attempt + 1} attempts: ${outcome.reason}`;
    }
    switch (action) {
      case 'ack':
        break;
      case 'retry': {
        const delay = retryDelayFor(attempt + 1, this.opts.retryDelaysMs);
        await this.client.publishRaw(Exchanges.retry, retryRoutingKey(this.stage, delay), msg.content, {
          ...msg.properties,
          headers: { ...stripDeath(msg.properties.headers), [Headers.attempt]: attempt + 1 },
        });
        log.info({ reason, delayMs: delay }, 'retry scheduled');
        break;
      }
      case 'dead': {
        if (this.opts.onDeadLetter) await this.runDeadLetterHook(raw, reason, log);
        await this.client.publishRaw(Exchanges.dead, this.stage, msg.content, {
          ...msg.properties,
          headers: {
            ...stripDeath(msg.properties.headers),
            [Headers.deadReason]: reason.slice(0, 1000),
            [Headers.attempt]: attempt,
          },
        });
        log.warn({ reason }, 'message dead-lettered');
        break;
      }
    }
    ch.ack(msg);
    this.opts.metrics?.messages.inc({ stage: this.stage, outcome: action });
  }
}

/** Pause before subscribing again on a channel the broker closed (no hot loop if it keeps closing it). */
const RESUBSCRIBE_DELAY_MS = 1_000;

/** How long the dead-letter hook (which marks the partition failed) is retried while the database is away. */
const HOOK_RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];

function stripDeath(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers ?? {}))
    if (!k.startsWith('x-death') && !k.startsWith('x-first-death') && !k.startsWith('x-last-death'))
      out[k] = v;
  return out;
}
