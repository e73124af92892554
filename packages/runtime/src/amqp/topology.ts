import type { Channel } from 'amqplib';
import { Exchanges, Queues, STAGES, type Stage } from '@posflow/contracts';

export interface TopologyOptions {
  /** Delays (ms) of the retry queues; attempt n waits retryDelaysMs[min(n, len-1)]. */
  retryDelaysMs: readonly number[];
  /** Quorum-queue delivery limit: a message redelivered more often (e.g. it crashes its worker) is dead-lettered by the broker. */
  deliveryLimit: number;
  stages?: readonly Stage[];
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000] as const;

const quorum = { 'x-queue-type': 'quorum' } as const;
// at-least-once dead-lettering (no loss between queues) requires reject-publish overflow.
const safeDeadLettering = {
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
} as const;

/**
 * Declares every exchange, queue and binding. Idempotent: run at every
 * (re)connect by every service. Per stage:
 *   posflow.work  --stage-->           posflow.<stage>              (quorum, delivery limit, DLX → posflow.dead)
 *   posflow.retry --stage.<ms>-->      posflow.<stage>.retry.<ms>   (quorum, TTL ms, DLX → posflow.work/stage)
 *   posflow.dead  --stage-->           posflow.<stage>.dead         (quorum)
 */
export async function declareTopology(ch: Channel, opts: TopologyOptions): Promise<void> {
  await ch.assertExchange(Exchanges.work, 'direct', { durable: true });
  await ch.assertExchange(Exchanges.retry, 'direct', { durable: true });
  await ch.assertExchange(Exchanges.dead, 'direct', { durable: true });
  for (const stage of opts.stages ?? STAGES) {
    const dead = Queues.dead(stage);
    await ch.assertQueue(dead, { durable: true, arguments: { ...quorum } });
    await ch.bindQueue(dead, Exchanges.dead, stage);

    const work = Queues.work(stage);
    await ch.assertQueue(work, {
      durable: true,
      arguments: {
        ...quorum,
        ...safeDeadLettering,
        'x-dead-letter-exchange': Exchanges.dead,
        'x-dead-letter-routing-key': stage,
        'x-delivery-limit': opts.deliveryLimit,
      },
    });
    await ch.bindQueue(work, Exchanges.work, stage);

    for (const delay of new Set(opts.retryDelaysMs)) {
      const retry = Queues.retry(stage, delay);
      await ch.assertQueue(retry, {
        durable: true,
        arguments: {
          ...quorum,
          ...safeDeadLettering,
          'x-message-ttl': delay,
          'x-dead-letter-exchange': Exchanges.work,
          'x-dead-letter-routing-key': stage,
        },
      });
      await ch.bindQueue(retry, Exchanges.retry, retryRoutingKey(stage, delay));
    }
  }
}

export function retryRoutingKey(stage: Stage, delayMs: number): string {
  return `${stage}.${delayMs}`;
}

export function retryDelayFor(attempt: number, delays: readonly number[]): number {
  const d = delays[Math.min(Math.max(attempt - 1, 0), delays.length - 1)];
  if (d === undefined) throw new Error('retryDelaysMs must not be empty');
  return d;
}
