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
  onConnectionChange?: (connected: boolean) => void;
}

type ConnectedHook = (conn: ChannelModel) => Promise<void>;

/**
 * One broker connection per process, re-established with exponential backoff
 * whenever it drops. Topology is declared on every connect; consumers register
 * a hook to re-subscribe. Publishing goes through a confirm channel: a publish
 * resolves only once the broker has confirmed it, and is retried across
 * reconnects until `publishTimeoutMs`.
 */
export class AmqpClient {
  private conn: ChannelModel | undefined;
  private pubChannel: ConfirmChannel | undefined;
  private closing = false;
  private readonly hooks = new Set<ConnectedHook>();
  private waiters: Array<() => void> = [];
  private connectLoop: Promise<void> | undefined;

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
        await new Promise<void>((resolve, reject) => {
          ch.publish(exchange, routingKey, content, full, (err) => (err ? reject(err as Error) : resolve()));
        });
        return;
      } catch (err) {
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
    let delay = this.opts.reconnectInitialMs ?? 500;
    const max = this.opts.reconnectMaxMs ?? 15_000;
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
  }

  private async connectOnce(): Promise<void> {
    const conn = await amqp.connect(this.opts.url, {
      clientProperties: { connection_name: this.opts.connectionName },
    });
    try {
      const setup = await conn.createChannel();
      await declareTopology(setup, this.opts.topology);
      await setup.close();
      const pub = await conn.createConfirmChannel();
      pub.on('error', (err: unknown) =>
        this.opts.logger.warn({ err: errorMessage(err) }, 'publish channel error'),
      );
      conn.on('error', (err: unknown) =>
        this.opts.logger.warn({ err: errorMessage(err) }, 'broker connection error'),
      );
      conn.once('close', () => this.onClose(conn));
      this.conn = conn;
      this.pubChannel = pub;
      for (const hook of this.hooks) await hook(conn);
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
    this.opts.logger.warn({}, 'broker connection lost, reconnecting');
    this.connectLoop = this.connectWithRetry();
    void this.connectLoop;
  }
}
