import amqp, { type ChannelModel } from 'amqplib';
import { Exchanges, type Stage } from '@posflow/contracts';

export interface ProbedMessage {
  body: unknown;
  headers: Record<string, unknown>;
}

/**
 * A raw broker connection for integration tests: publishes a stage's
 * messages (confirmed, as the services do) and reads queues exactly, without
 * the management API's lag. A service's harness extends it with typed
 * publishers (`publishFetch`, …).
 */
export class QueueProbe {
  constructor(protected readonly conn: ChannelModel) {}

  static async connect<T>(this: new (conn: ChannelModel) => T, amqpUrl: string): Promise<T> {
    return new this(await amqp.connect(amqpUrl));
  }

  /** Publishes one envelope to a stage's work queue and waits for the broker's confirm. */
  async publish(stage: Stage, message: { id: string }): Promise<void> {
    const ch = await this.conn.createConfirmChannel();
    ch.publish(Exchanges.work, stage, Buffer.from(JSON.stringify(message)), {
      persistent: true,
      messageId: message.id,
      contentType: 'application/json',
    });
    await ch.waitForConfirms();
    await ch.close();
  }

  async depth(queue: string): Promise<number> {
    const ch = await this.conn.createChannel();
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Takes every message from a queue (acked). */
  async drain(queue: string): Promise<ProbedMessage[]> {
    const ch = await this.conn.createChannel();
    const out: ProbedMessage[] = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) break;
      out.push({
        body: JSON.parse(m.content.toString()) as unknown,
        headers: (m.properties.headers ?? {}) as Record<string, unknown>,
      });
    }
    await ch.close();
    return out;
  }

  async purge(...queues: string[]): Promise<void> {
    const ch = await this.conn.createChannel();
    for (const q of queues) await ch.purgeQueue(q);
    await ch.close();
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}
