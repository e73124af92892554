import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { Exchanges, type Stage } from '@posflow/contracts';
import { TransientError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { declareTopology, type TopologyOptions } from './topology.js';

export interface AmqpClientOptions {
  url: string;
  logger: Logger;
  /** Shown in the broker's connection list. */
  connectionName: string;
  topology: TopologyOptions;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** How long a publish waits for a connection and a confirm before giving up. */
  publishTimeoutMs?: number;
  /** How long one confirm is waited for before the message is sent again on a new channel (default 15 s). */
  confirmTimeoutMs?: number;
  onConnectionChange?: (connected: boolean) => void;
}

type ConnectedHook = (conn: ChannelModel) => Promise<void>;

/**
 * One broker connection per process, re-established with exponential backoff
 * whenever it drops. Topology is declared on every connect; consumers register
 * a hook to re-subscribe. Publishing goes through a confirm channel: a publish
 * resolves only once the broker has confirmed it, and is retried across
 * reconnects until `publishTimeoutMs`. A confirm that does not come in time
 * counts as not confirmed (the channel is replaced and the message sent again:
 * consumers are idempotent, a duplicate is harmless, a loss is not), and a
 * publish channel the broker closes alone is replaced.
 */
export class AmqpClient {
  private conn: ChannelModel | undefined;
  private pubChannel: ConfirmChannel | undefined;
  private closing = false;
  private readonly hooks = new Set<ConnectedHook>();
  private waiters: Array<() => void> = [];
  private connectLoop: Promise<void> | undefined;
  /** True while a connect loop runs: a drop during a (re)connect never starts a second loop. */
  private connecting = false;

  constructor(private readonly opts: AmqpClientOptions) {}

  get connected(): boolean {
    return this.pubChannel !== undefined;
  }

  /** Connects (retrying until it succeeds or close() is called). */
  async start(): Promise<void> {
    this.connectLoop ??= this.connectWithRetry();
    await this.connectLoop;
  }

  /** Runs now if connected, and again after every reconnect. */
  async onConnected(hook: ConnectedHook): Promise<void> {
    this.hooks.add(hook);
    if (this.conn && this.connected) await hook(this.conn);
  }

  removeHook(hook: ConnectedHook): void {
    this.hooks.delete(hook);
  }

  /** True while `conn` is the client's live connection. */
  isCurrent(conn: ChannelModel): boolean {
    return this.conn === conn;
  }

  /** Drops `conn` if it is still the live one, so the client reconnects (topology declared, hooks run again). */
  reconnect(conn: ChannelModel): void {
    if (this.conn === conn) void conn.close().catch(() => undefined);
  }

  /** Publishes an envelope to a stage's work queue. */
  async publish(stage: Stage, message: { id: string }, headers: Record<string, unknown> = {}): Promise<void> {
    await this.publishRaw(Exchanges.work, stage, Buffer.from(JSON.stringify(message)), {
      messageId: message.id,
      headers,
    });
  }

  async publishRaw(
    exchange: string,
    routingKey: string,
    content: Buffer,
    props: Options.Publish = {},
  ): Promise<void> {
    const deadline = Date.now() + (this.opts.publishTimeoutMs ?? 60_000);
    const full: Options.Publish = {
      persistent: true,
      contentType: 'application/json',
      messageId: props.messageId ?? randomUUID(),
      timestamp: Math.floor(Date.now() / 1000),
      ...props,
    };
    let lastError: unknown;
    while (!this.closing) {
      const ch = await this.waitForChannel(deadline);
      try {
        await confirmed(
          ch,
          exchange,
          routingKey,
          content,
          full,
          Math.min(this.opts.confirmTimeoutMs ?? 15_000, Math.max(deadline - Date.now(), 1_000)),
        );
        return;
      } catch (err) {
        if (err instanceof ConfirmTimeout) await this.replacePubChannel(ch);
        lastError = err;
        this.opts.logger.warn(
          { err: errorMessage(err), exchange, routingKey },
          'publish not confirmed, retrying',
        );
        if (Date.now() > deadline) break;
        await sleep(200);
      }
    }
    throw new TransientError(
      `publish to ${exchange}/${routingKey} not confirmed: ${errorMessage(lastError)}`,
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    const conn = this.conn;
    this.conn = undefined;
    this.pubChannel = undefined;
    if (conn) {
      try {
        await conn.close();
      } catch {
        // already closed
      }
    }
  }

  private async waitForChannel(deadline: number): Promise<ConfirmChannel> {
    while (!this.pubChannel) {
      if (this.closing) throw new TransientError('broker client is closing');
      const left = deadline - Date.now();
      if (left <= 0) throw new TransientError('broker unavailable');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1_000));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.pubChannel;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async connectWithRetry(): Promise<void> {
    this.connecting = true;
    let delay = this.opts.reconnectInitialMs ?? 500;
    const max = this.opts.reconnectMaxMs ?? 15_000;
    try {
      while (!this.closing) {
        try {
          await this.connectOnce();
          return;
        } catch (err) {
          this.opts.logger.warn({ err: errorMessage(err), retryInMs: delay }, 'broker connection failed');
          await sleep(delay * (0.8 + Math.random() * 0.4));
          delay = Math.min(delay * 2, max);
        }
      }
    } finally {
      this.connecting = false;
    }
  }

  /** A confirm channel on the current connection, replaced when the broker closes it alone. */
  private async openPubChannel(conn: ChannelModel): Promise<ConfirmChannel> {
    const pub = await conn.createConfirmChannel();
    pub.on('error', (err: unknown) =>
      this.opts.logger.warn({ err: errorMessage(err) }, 'publish channel error'),
    );
    pub.once('close', () =>
      // After the connection's own close (same tick) when the whole connection went: then the reconnect handles it.
      setImmediate(() => {
        if (this.pubChannel !== pub || this.conn !== conn || this.closing) return;
        this.opts.logger.warn({}, 'publish channel closed, opening another');
        void this.replacePubChannel(pub);
      }),
    );
    return pub;
  }

  /** Swaps a publish channel that failed (closed, or a confirm never came) for a new one on the same connection. */
  private async replacePubChannel(old: ConfirmChannel): Promise<void> {
    const conn = this.conn;
    if (this.pubChannel !== old || !conn) return;
    this.pubChannel = undefined;
    await old.close().catch(() => undefined);
    try {
      const pub = await this.openPubChannel(conn);
      if (this.conn === conn && !this.closing) {
        this.pubChannel = pub;
        this.wake();
      } else await pub.close().catch(() => undefined);
    } catch (err) {
      // The connection is going too: its close starts the reconnect.
      this.opts.logger.warn({ err: errorMessage(err) }, 'could not open a publish channel');
    }
  }

  private async connectOnce(): Promise<void> {
    const conn = await amqp.connect(this.opts.url, {
      clientProperties: { connection_name: this.opts.connectionName },
    });
    try {
      const setup = await conn.createChannel();
      await declareTopology(setup, this.opts.topology);
      await setup.close();
      const pub = await this.openPubChannel(conn);
      conn.on('error', (err: unknown) =>
        this.opts.logger.warn({ err: errorMessage(err) }, 'broker connection error'),
      );
      conn.once('close', () => this.onClose(conn));
      this.conn = conn;
      this.pubChannel = pub;
      for (const hook of this.hooks) await hook(conn);
      if (this.conn !== conn) throw new TransientError('broker connection lost while subscribing');
    } catch (err) {
      this.pubChannel = undefined;
      this.conn = undefined;
      await conn.close().catch(() => undefined);
      throw err;
    }
    this.opts.logger.info({}, 'broker connected');
    this.opts.onConnectionChange?.(true);
    this.wake();
  }

  private onClose(conn: ChannelModel): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.pubChannel = undefined;
    this.opts.onConnectionChange?.(false);
    if (this.closing) return;
    if (this.connecting) return; // the running connect loop carries on
    this.opts.logger.warn({}, 'broker connection lost, reconnecting');
    this.connectLoop = this.connectWithRetry();
    void this.connectLoop;
  }
}

class ConfirmTimeout extends Error {
  override name = 'ConfirmTimeout';
}

/** Publishes on `ch` and resolves on the broker's confirm; rejects on a nack, a closed channel, or no confirm within `waitMs`. */
function confirmed(
  ch: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  props: Options.Publish,
  waitMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ConfirmTimeout(`no confirm within ${waitMs} ms`)), waitMs);
    const settle = (err?: unknown) => {
      clearTimeout(timer);
      if (err) reject(err instanceof Error ? err : new Error(errorMessage(err)));
      else resolve();
    };
    try {
      ch.publish(exchange, routingKey, content, props, (err) => settle(err));
    } catch (err) {
      settle(err); // the channel closed under us
    }
  });
}
