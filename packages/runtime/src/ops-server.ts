import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';

/** A named readiness check; resolves true when the dependency is usable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The ops port every service has: `/metrics` for Prometheus, `/healthz`
 * (the process is alive) and `/readyz` (broker and database reachable).
 * Kept off the public API port so it is never exposed through the ingress.
 */
export async function startOpsServer(opts: {
  port: number;
  host?: string;
  registry: Registry;
  checks: ReadinessCheck[];
  logger: Logger;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (url === '/readyz') {
      void Promise.all(
        opts.checks.map(async (c) => {
          try {
            return [c.name, await c.check()] as const;
          } catch {
            return [c.name, false] as const;
          }
        }),
      ).then((results) => {
        const ready = results.every(([, ok]) => ok);
        res
          .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) }),
          );
      });
      return;
    }
    if (url === '/metrics') {
      opts.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(body),
        (err: unknown) => {
          opts.logger.error({ err }, 'metrics collection failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger.info({ port }, 'ops server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
