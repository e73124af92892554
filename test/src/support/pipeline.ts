import { MongoClient } from 'mongodb';
import { createTestVhost, testMongoUrl, type TestVhost } from '@posflow/runtime/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_DIR, REPO_ROOT, ServiceProcess, freePort } from './processes.js';

export type ServiceName = 'gateway' | 'fetcher' | 'combiner' | 'importer';

export interface PipelineOptions {
  /** Base URL of the upstream (simulator), ending in '/'. */
  upstreamUrl: string;
  /** Folder with branches.txt, newBranches.txt and the clean-up tables. */
  referenceDir: string;
  /** How many fetcher processes (default 1). */
  fetchers?: number;
  /** Extra env per service. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  apiKey?: string;
  logLevel?: string;
}

export interface Pipeline {
  vhost: TestVhost;
  mongoUrl: string;
  gatewayUrl: string;
  apiKey: string;
  services: Record<ServiceName, ServiceProcess[]>;
  all(): ServiceProcess[];
  /** fetch() against the gateway API with the admin key; `path` starts with /api/v1. */
  api(path: string, init?: RequestInit): Promise<Response>;
  mongo(): Promise<MongoClient>;
  stop(): Promise<void>;
}

const MAINS: Record<ServiceName, string> = {
  gateway: 'services/gateway/dist/main.js',
  fetcher: 'services/fetcher/dist/main.js',
  combiner: 'services/combiner/dist/main.js',
  importer: 'services/importer/dist/main.js',
};

/**
 * Starts the four services as real processes against a fresh RabbitMQ vhost
 * and a fresh database (so tests never share state), waits for every
 * `/readyz`, and returns handles to kill, restart and stop them.
 */
export async function startPipeline(opts: PipelineOptions): Promise<Pipeline> {
  const vhost = await createTestVhost('posflow-e2e');
  const { url: mongoUrl } = testMongoUrl('posflow_e2e');
  const apiKey = opts.apiKey ?? 'e2e-admin-key-0123456789';
  let gatewayPort = await freePort();
  const common: Record<string, string> = {
    AMQP_URL: vhost.amqpUrl,
    MONGO_URL: mongoUrl,
    LOG_LEVEL: opts.logLevel ?? 'info',
    RETRY_DELAYS_MS: '200,500,1000,2000',
    MAX_ATTEMPTS: '5',
    SHUTDOWN_TIMEOUT_MS: '15000',
    NODE_ENV: 'test',
  };
  const envFor: Record<ServiceName, Record<string, string>> = {
    importer: { ...common },
    combiner: { ...common, REFERENCE_DIR: opts.referenceDir, TMP_DIR: join(REPO_ROOT, '.posflow', 'tmp') },
    fetcher: { ...common, UPSTREAM_BASE_URL: opts.upstreamUrl, UPSTREAM_MAX_CONCURRENCY: '4' },
    gateway: {
      ...common,
      GATEWAY_PORT: String(gatewayPort),
      REFERENCE_DIR: opts.referenceDir,
      POSFLOW_API_KEY: apiKey,
      RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:15672',
    },
  };
  const services: Record<ServiceName, ServiceProcess[]> = {
    gateway: [],
    fetcher: [],
    combiner: [],
    importer: [],
  };
  const counts: Record<ServiceName, number> = {
    importer: 1,
    combiner: 1,
    fetcher: opts.fetchers ?? 1,
    gateway: 1,
  };
  try {
    for (const name of ['importer', 'combiner', 'fetcher', 'gateway'] as const) {
      for (let i = 0; i < counts[name]; i++) {
        // A port found free can be taken (e.g. as an outgoing connection's local port) before the
        // service binds it: a start that dies of EADDRINUSE is tried again on fresh ports.
        for (let attempt = 1; ; attempt++) {
          const proc = new ServiceProcess(
            counts[name] > 1 ? `${name}-${i + 1}` : name,
            MAINS[name],
            { ...envFor[name], ...opts.env?.[name] },
            await freePort(),
          );
          services[name].push(proc);
          try {
            await proc.start();
            break;
          } catch (err) {
            if (attempt >= 3 || !diedOfPortClash(proc.name)) throw err;
            services[name].pop();
            if (name === 'gateway') envFor.gateway.GATEWAY_PORT = String((gatewayPort = await freePort()));
          }
        }
      }
    }
  } catch (err) {
    await Promise.all(
      Object.values(services)
        .flat()
        .map((s) => s.stop('SIGKILL')),
    );
    await vhost.drop().catch(() => undefined);
    throw err;
  }
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  let client: MongoClient | undefined;
  return {
    vhost,
    mongoUrl,
    gatewayUrl,
    apiKey,
    services,
    all: () => Object.values(services).flat(),
    api: (path, init = {}) =>
      fetch(`${gatewayUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
    mongo: async () => {
      client ??= await new MongoClient(mongoUrl).connect();
      return client;
    },
    stop: async () => {
      await Promise.all(
        Object.values(services)
          .flat()
          .map((s) => s.stop('SIGTERM', 20_000)),
      );
      if (client) {
        await client
          .db()
          .dropDatabase()
          .catch(() => undefined);
        await client.close();
      } else {
        const c = await new MongoClient(mongoUrl).connect();
        await c
          .db()
          .dropDatabase()
          .catch(() => undefined);
        await c.close();
      }
      await vhost.drop().catch(() => undefined);
    },
  };
}

/** Whether a service's last start ended on a port another process took (the tail of its log says so). */
function diedOfPortClash(name: string): boolean {
  try {
    return readFileSync(join(LOG_DIR, `${name}.log`), 'latin1').slice(-4_000).includes('EADDRINUSE');
  } catch {
    return false;
  }
}
