import { randomBytes } from 'node:crypto';

/**
 * Isolation for integration tests (STYLE.md §10): each test file gets its
 * own RabbitMQ vhost and its own database, and removes them afterwards, so
 * tests never see each other's queues or documents.
 */
export const TEST_INFRA = Object.freeze({
  amqpBase: process.env.TEST_AMQP_BASE ?? 'amqp://guest:guest@127.0.0.1:5672',
  management: process.env.TEST_RABBITMQ_MANAGEMENT ?? 'http://127.0.0.1:15672',
  managementAuth: 'Basic ' + Buffer.from('guest:guest').toString('base64'),
  mongoBase: process.env.TEST_MONGO_BASE ?? 'mongodb://127.0.0.1:27017',
});

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

async function management(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${TEST_INFRA.management}${path}`, {
    method,
    headers: { authorization: TEST_INFRA.managementAuth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok && res.status !== 404)
    throw new Error(`RabbitMQ management ${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

export interface TestVhost {
  name: string;
  amqpUrl: string;
  /** Messages ready in a queue of this vhost (management API; refreshed every few seconds by the broker). */
  queueDepth(queue: string): Promise<number>;
  drop(): Promise<void>;
}

export async function createTestVhost(prefix = 'posflow-test'): Promise<TestVhost> {
  const name = uniqueName(prefix);
  const v = encodeURIComponent(name);
  await management('PUT', `/api/vhosts/${v}`, {});
  await management('PUT', `/api/permissions/${v}/guest`, { configure: '.*', write: '.*', read: '.*' });
  return {
    name,
    amqpUrl: `${TEST_INFRA.amqpBase}/${v}`,
    queueDepth: async (queue) => {
      const res = await management('GET', `/api/queues/${v}/${encodeURIComponent(queue)}`);
      const j = (await res.json()) as { messages?: number };
      return j.messages ?? 0;
    },
    drop: async () => {
      await management('DELETE', `/api/vhosts/${v}`);
    },
  };
}

export function testMongoUrl(prefix = 'posflow_test'): { url: string; dbName: string } {
  const dbName = uniqueName(prefix).replace(/-/g, '_');
  return { url: `${TEST_INFRA.mongoBase}/${dbName}`, dbName };
}
