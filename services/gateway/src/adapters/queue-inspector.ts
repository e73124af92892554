import type { ChannelModel } from 'amqplib';
import { Exchanges, Headers, Queues, STAGES, type QueueStageView, type RequeueResult, type Stage } from '@posflow/contracts';
import type { AmqpClient } from '@posflow/runtime';

export interface QueueInspector {
  stages(): Promise<QueueStageView[]>;
  requeueDead(stage: Stage, max: number): Promise<RequeueResult>;
}

interface MgmtQueue {
  name: string;
  messages_ready?: number;
  messages_unacknowledged?: number;
  messages?: number;
  consumers?: number;
}

/**
 * Queue depths from the RabbitMQ management API (`RABBITMQ_MANAGEMENT_URL`,
 * credentials in the URL) and dead-letter requeue over AMQP: each dead letter
 * is republished to its work queue with our attempt header reset (confirmed)
 * and only then acked, so a crash in between duplicates, never loses.
 */
export class RabbitQueueInspector implements QueueInspector {
  private readonly base: string;
  private readonly auth: string;
  private conn: ChannelModel | undefined;

  constructor(
    managementUrl: string,
    private readonly vhost: string,
    private readonly amqp: AmqpClient,
  ) {
    const u = new URL(managementUrl);
    this.auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
    u.username = '';
    u.password = '';
    this.base = u.toString().replace(/\/$/, '');
  }

  /** Keeps the current broker connection (replaced on every reconnect) for basic.get. */
  async start(): Promise<void> {
    await this.amqp.onConnected(async (conn) => {
      this.conn = conn;
    });
  }

  async stages(): Promise<QueueStageView[]> {
    const res = await fetch(
      `${this.base}/api/queues/${encodeURIComponent(this.vhost)}?columns=name,messages,messages_ready,messages_unacknowledged,consumers`,
      { headers: { authorization: this.auth }, signal: AbortSignal.timeout(5_000) },
    );
    if (!res.ok) throw new Error(`RabbitMQ management answered ${res.status}`);
    const queues = (await res.json()) as MgmtQueue[];
    const byName = new Map(queues.map((q) => [q.name, q]));
    return STAGES.map((stage) => {
      const work = byName.get(Queues.work(stage));
      const retryPrefix = `${Queues.work(stage)}.retry.`;
      return {
        stage,
        ready: work?.messages_ready ?? 0,
        unacked: work?.messages_unacknowledged ?? 0,
        consumers: work?.consumers ?? 0,
        deadLetters: byName.get(Queues.dead(stage))?.messages ?? 0,
        retrying: queues.filter((q) => q.name.startsWith(retryPrefix)).reduce((n, q) => n + (q.messages ?? 0), 0),
      };
    });
  }

  async requeueDead(stage: Stage, max: number): Promise<RequeueResult> {
    if (!this.conn) throw new Error('broker not connected');
    const ch = await this.conn.createChannel();
    let requeued = 0;
    try {
      while (requeued < max) {
        const msg = await ch.get(Queues.dead(stage), { noAck: false });
        if (!msg) break;
        const headers: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(msg.properties.headers ?? {}))
          if (!/^x-(death|first-death|last-death)/.test(k) && k !== Headers.deadReason && k !== Headers.deadKind)
            headers[k] = v;
        headers[Headers.attempt] = 0;
        try {
          await this.amqp.publishRaw(Exchanges.work, stage, msg.content, { ...msg.properties, headers });
        } catch (err) {
          ch.nack(msg, false, true);
          throw err;
        }
        ch.ack(msg);
        requeued++;
      }
      const left = (await ch.checkQueue(Queues.dead(stage))).messageCount;
      return { stage, requeued, left };
    } finally {
      await ch.close().catch(() => undefined);
    }
  }
}

/** The vhost named by an AMQP URL's path ('/' when none). */
export function vhostOf(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname;
  return path === '' || path === '/' ? '/' : decodeURIComponent(path.slice(1));
}
