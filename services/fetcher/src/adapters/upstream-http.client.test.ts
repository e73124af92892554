import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UpstreamError } from '../domain/upstream-error.js';
import { UpstreamHttpClient } from './upstream-http.client.js';

// A minimal local stub (unit tier only); the integration tests use the real simulator.
type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const routes = new Map<string, Route>();
let seen: { url: string; headers: IncomingMessage['headers']; body: string } | undefined;

let server: Server;
let client: UpstreamHttpClient;
const key = { branch: 'BMC', pos: 1, date: '2026-02-09' };
const signal = new AbortController().signal;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen = { url: req.url ?? '', headers: req.headers, body };
      const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (route) route(req, res, body);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  client = new UpstreamHttpClient({
    baseUrl: `http://127.0.0.1:${port}/ctl/`,
    userAgent: 'UA/1',
    referer: 'http://ref/',
    origin: 'http://origin',
    timeoutMs: 500,
    idleTimeoutMs: 300,
    downloadTimeoutMs: 5_000,
  });
});
afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function drain(path: string): Promise<number> {
  const res = await client.download(path, signal);
  let n = 0;
  await pipeline(res.body, new Writable({ write: (c: Buffer, _e, cb) => ((n += c.length), cb()) }));
  return n;
}

describe('UpstreamHttpClient', () => {
  test('lists with a form body and the browser-like headers', async () => {
    routes.set('/ctl/fetch_list2.php', (_q, res) => res.end('a_BMC_1_rd5000_2026-02-09_20-00_.csv,'));
    expect(await client.list(key, signal)).toEqual({
      kind: 'files',
      paths: ['a_BMC_1_rd5000_2026-02-09_20-00_.csv'],
    });
    expect(seen?.body).toBe('branch=BMC&pos=1&date=2026-02-09');
    expect(seen?.headers).toMatchObject({
      'user-agent': 'UA/1',
      referer: 'http://ref/',
      origin: 'http://origin',
      'content-type': 'application/x-www-form-urlencoded',
    });
  });

  test('an HTML page with status 200 is classified, a 503 is an http-5xx error', async () => {
    routes.set('/ctl/fetch_list2.php', (_q, res) => res.end('<!DOCTYPE html><p>login</p>'));
    expect((await client.list(key, signal)).kind).toBe('html');
    routes.set('/ctl/fetch_list2.php', (_q, res) => res.writeHead(503).end('busy'));
    await expect(client.list(key, signal)).rejects.toMatchObject({ error: 'http-5xx' });
  });

  test('no answer within the timeout is a timeout; a dropped connection is a reset', async () => {
    routes.set('/ctl/fetch_list2.php', () => undefined);
    await expect(client.list(key, signal)).rejects.toMatchObject({ name: 'UpstreamError', error: 'timeout' });
    routes.set('/ctl/fetch_list2.php', (req) => req.socket.destroy());
    await expect(client.list(key, signal)).rejects.toMatchObject({ error: 'reset' });
  });

  test('downloads stream the body; the path is relative to the base URL', async () => {
    routes.set('/ctl/files/x.csv', (_q, res) => res.end('A,B\n1,2\n'));
    expect(await drain('files/x.csv')).toBe(8);
  });

  test('a body cut short of its Content-Length fails as truncated or reset, never as success', async () => {
    routes.set('/ctl/cut.csv', (_q, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('A,B\n1,2\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const err = await drain('cut.csv').catch((e: unknown) => e);
    const { transportErrorKind } = await import('./upstream-http.client.js');
    expect(['truncated', 'reset']).toContain(
      transportErrorKind(err as { code?: unknown }) ??
        transportErrorKind((err as { cause?: { code?: unknown } }).cause),
    );
  });

  test('a body that stalls longer than the idle timeout fails', async () => {
    routes.set('/ctl/stall.csv', (_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('A,B\n');
    });
    const err = await drain('stall.csv').catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('UND_ERR_BODY_TIMEOUT');
  });

  test('errors that are not transport errors pass through unchanged', async () => {
    const { toUpstreamError } = await import('./upstream-http.client.js');
    const e = new Error('db down');
    expect(toUpstreamError('download', e)).toBe(e);
    expect(toUpstreamError('download', Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBeInstanceOf(
      UpstreamError,
    );
  });
});
