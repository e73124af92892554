import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FetchRequestedV1, Headers, Queues, type CombineRequestedV1 } from '@posflow/contracts';
import { TEST_INFRA, createTestVhost, type TestVhost } from '../testing/index.js';
import { createLogger } from '../logger.js';
import { Outcomes, TransientError } from '../errors.js';
import { AmqpClient } from './amqp-client.js';
import { StageConsumer, type HandlerContext } from './consumer.js';
import { makeMessage } from './message.js';

const logger = createLogger('amqp-test', 'silent');
const topology = { retryDelaysMs: [300, 600], deliveryLimit: 3 };
const consumerOpts = { prefetch: 4, maxAttempts: 3, retryDelaysMs: topology.retryDelaysMs, logger };

function fetchMsg(date = '2026-02-09') {
  return makeMessage('fetch.requested', 1, { partition: { branch: 'BMC', pos: 1, date }, force: false });
}

async function until<T>(fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe('AMQP runtime against the real RabbitMQ', () => {
  let vhost: TestVhost;
  let client: AmqpClient;
  let raw: ChannelModel;

  beforeAll(async () => {
    vhost = await createTestVhost();
    client = new AmqpClient({ url: vhost.amqpUrl, logger, connectionName: 'test', topology });
    await client.start();
    raw = await amqp.connect(vhost.amqpUrl);
  });
  afterAll(async () => {
    await raw?.close();
    await client?.close();
    await vhost?.drop();
  });

  async function purge() {
    const ch = await raw.createChannel();
    for (const q of [Queues.work('fetch'), Queues.dead('fetch')]) await ch.purgeQueue(q);
    await ch.close();
  }

  async function getDead() {
    const ch = await raw.createChannel();
    const m = await until(async () => (await ch.get(Queues.dead('fetch'), { noAck: true })) || undefined);
    await ch.close();
    return m;
  }

  test('publish with confirm → consume → ack', async () => {
    await purge();
    const seen: FetchRequestedV1[] = [];
    const consumer = new StageConsumer(
      client,
      'fetch',
      async (m) => {
        seen.push(m);
        return Outcomes.ack();
      },
      consumerOpts,
    );
    await consumer.start();
    const msg = fetchMsg();
    await client.publish('fetch', msg);
    await until(() => (seen.length === 1 ? true : undefined));
    expect(seen[0]?.id).toBe(msg.id);
    expect(seen[0]?.payload.partition).toEqual({ branch: 'BMC', pos: 1, date: '2026-02-09' });
    await consumer.stop(1000);
    await sleep(200);
    expect(await vhost.queueDepth(Queues.work('fetch'))).toBe(0);
  });

  test('retry-later is redelivered after the delay with its attempt count, then dead-lettered after the limit', async () => {
    await purge();
    const attempts: Array<{ attempt: number; at: number }> = [];
    const consumer = new StageConsumer(
      client,
      'fetch',
      async (_m, ctx: HandlerContext) => {
        attempts.push({ attempt: ctx.attempt, at: Date.now() });
        throw new TransientError('upstream down');
      },
      consumerOpts,
    );
    await consumer.start();
    const msg = fetchMsg();
    await client.publish('fetch', msg);
    const dead = await getDead();
    await consumer.stop(1000);
    // first delivery + 3 retries (maxAttempts), then dead-lettered with the reason
    expect(attempts.map((a) => a.attempt)).toEqual([0, 1, 2, 3]);
    // each retry waited at least its queue's TTL (300, 600, 600 ms)
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(250);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(550);
    const headers = dead.properties.headers ?? {};
    expect(String(headers[Headers.deadReason])).toMatch(/gave up after 4 attempts: upstream down/);
    expect(JSON.parse(dead.content.toString()).id).toBe(msg.id);
  });

  test('a malformed message is dead-lettered at once, not retried', async () => {
    await purge();
    let calls = 0;
    const consumer = new StageConsumer(
      client,
      'fetch',
      async () => {
        calls++;
        return Outcomes.ack();
      },
      consumerOpts,
    );
    await consumer.start();
    const bad = makeMessage('fetch.requested', 1, {
      partition: { branch: 'bmc lower', pos: 12, date: '2026-13-40' },
    });
    await client.publish('fetch', bad);
    const dead = await getDead();
    await consumer.stop(1000);
    expect(calls).toBe(0);
    const reason = String(dead.properties.headers?.[Headers.deadReason]);
    expect(reason).toMatch(/^invalid message: /);
    expect(reason).toMatch(/payload\.partition\.branch/);
    expect(dead.properties.headers?.[Headers.attempt]).toBe(0);
  });

  test('a body that is not JSON is dead-lettered with the reason', async () => {
    await purge();
    const consumer = new StageConsumer(client, 'fetch', async () => Outcomes.ack(), consumerOpts);
    await consumer.start();
    await client.publishRaw('posflow.work', 'fetch', Buffer.from('\u0000garbage'));
    const dead = await getDead();
    await consumer.stop(1000);
    expect(String(dead.properties.headers?.[Headers.deadReason])).toBe('invalid message: body is not JSON');
  });

  test('a consumer that dies holding a message (channel closed, no ack) gets it redelivered once', async () => {
    await purge();
    const deliveries: Array<{ id: string; redelivered: boolean }> = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const dying = new StageConsumer(
      client,
      'fetch',
      async (m, ctx) => {
        deliveries.push({ id: m.id, redelivered: ctx.redelivered });
        await held; // never finishes before the channel is closed
        return Outcomes.ack();
      },
      consumerOpts,
    );
    await dying.start();
    const msg = fetchMsg();
    await client.publish('fetch', msg);
    await until(() => (deliveries.length === 1 ? true : undefined));
    await dying.stop(0); // closes the channel with the message unacked
    release();

    const survivor: Array<{ id: string; redelivered: boolean }> = [];
    const next = new StageConsumer(
      client,
      'fetch',
      async (m, ctx) => {
        survivor.push({ id: m.id, redelivered: ctx.redelivered });
        return Outcomes.ack();
      },
      consumerOpts,
    );
    await next.start();
    await until(() => (survivor.length === 1 ? true : undefined));
    await sleep(500);
    await next.stop(1000);
    expect(survivor).toEqual([{ id: msg.id, redelivered: true }]);
    expect(deliveries).toHaveLength(1);
  });
  test('a consumer whose channel the broker closes (connection still up) subscribes again', async () => {
    await purge();
    const seen: string[] = [];
    const consumer = new StageConsumer(
      client,
      'fetch',
      async (m) => {
        seen.push(m.id);
        return Outcomes.ack();
      },
      consumerOpts,
    );
    await consumer.start();
    const first = fetchMsg();
    await client.publish('fetch', first);
    await until(() => (seen.length === 1 ? true : undefined));
    // An ack of a delivery tag the broker never sent is a channel error: the broker closes that channel only.
    const ch = (consumer as unknown as { channel: { ack(m: unknown): void } }).channel;
    ch.ack({ fields: { deliveryTag: 999_999 } });
    await sleep(300);
    const second = fetchMsg();
    await client.publish('fetch', second);
    await until(() => (seen.length === 2 ? true : undefined));
    await consumer.stop(1000);
    expect(seen).toEqual([first.id, second.id]);
  });

  test('a publish whose confirm never comes is sent again on a new channel', async () => {
    await purge();
    const quick = new AmqpClient({
      url: vhost.amqpUrl,
      logger,
      connectionName: 'quick',
      topology,
      confirmTimeoutMs: 1_000,
    });
    await quick.start();
    type Publish = (...args: unknown[]) => boolean;
    const internals = quick as unknown as { pubChannel: { publish: Publish } };
    const silent = internals.pubChannel;
    const real = silent.publish.bind(silent);
    // The first publish vanishes without a confirm (as when the broker never answers).
    let swallowed = 0;
    silent.publish = (...args: unknown[]) => (swallowed++ === 0 ? true : real(...args));
    const msg = fetchMsg();
    await quick.publish('fetch', msg);
    await quick.close();
    expect(swallowed).toBe(1);
    expect(internals.pubChannel).not.toBe(silent);
    const ch = await raw.createChannel();
    const got = await until(async () => (await ch.get(Queues.work('fetch'), { noAck: true })) || undefined);
    await ch.close();
    expect(JSON.parse(got.content.toString()).id).toBe(msg.id);
  });

  test('the broker drops the connection mid hand-off: publisher and consumer reconnect, no hand-off is lost', async () => {
    await purge();
    const own = new AmqpClient({
      url: vhost.amqpUrl,
      logger,
      connectionName: `handoff-${Date.now()}`,
      topology,
      reconnectInitialMs: 100,
      reconnectMaxMs: 500,
    });
    await own.start();
    // fetch → combine, as a service does it: work, publish the next stage's message (confirmed), ack.
    const middle = new StageConsumer(
      own,
      'fetch',
      async (m) => {
        await sleep(20);
        const next = makeMessage('combine.requested', 1, {
          partition: m.payload.partition,
          reason: 'fetched' as const,
        });
        await own.publish('combine', { ...next, id: `${m.id}:combine` });
        return Outcomes.ack();
      },
      consumerOpts,
    );
    await middle.start();
    const handedOff = new Set<string>();
    const sink = await raw.createChannel();
    await sink.purgeQueue(Queues.work('combine'));
    await sink.consume(Queues.work('combine'), (m) => {
      if (!m) return;
      handedOff.add((JSON.parse(m.content.toString()) as CombineRequestedV1).id);
      sink.ack(m);
    });
    const sent: string[] = [];
    for (let i = 0; i < 40; i++) {
      const m = fetchMsg();
      await client.publish('fetch', m);
      sent.push(m.id);
      if (i === 15) await closeConnectionsNamed(vhost.name, own);
    }
    await until(() => (sent.every((id) => handedOff.has(`${id}:combine`)) ? true : undefined), 30_000);
    await middle.stop(1000);
    await own.close();
    await sink.close();
  }, 40_000);
});

/** Closes `client`'s broker connection from the broker side (management API), as a broker restart does. */
async function closeConnectionsNamed(vhostName: string, client: AmqpClient): Promise<void> {
  const name = (client as unknown as { opts: { connectionName: string } }).opts.connectionName;
  const auth = { authorization: TEST_INFRA.managementAuth };
  const listed = await until(async () => {
    const res = await fetch(
      `${TEST_INFRA.management}/api/vhosts/${encodeURIComponent(vhostName)}/connections`,
      {
        headers: auth,
      },
    );
    const all = (await res.json()) as Array<{
      name: string;
      client_properties?: { connection_name?: string };
    }>;
    const mine = all.filter((c) => c.client_properties?.connection_name === name);
    return mine.length > 0 ? mine : undefined;
  });
  for (const c of listed)
    await fetch(`${TEST_INFRA.management}/api/connections/${encodeURIComponent(c.name)}`, {
      method: 'DELETE',
      headers: auth,
    });
}
