import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashSeed } from '@posflow/synth';
import { bufferSource, fileSource, sendBody, type BodySource } from './body-sender.js';
import { FORBIDDEN_PAGE, HTML_ERROR_PAGE, NOT_FOUND_PAGE } from './error-pages.js';
import { FaultSet, type FaultDecision, type FaultRule, type FaultRuleInput, type RequestFacts } from './faults.js';
import { FileIndex, keyOfName } from './file-index.js';
import { mutateCsv } from './mutate-csv.js';
import { RequestStats, type RequestRecord, type StatsSnapshot } from './request-stats.js';

export interface UpstreamSimulatorOptions {
  /** Folder of export files (subfolders allowed). */
  readonly dir: string;
  /** 0 or absent: an ephemeral port. */
  readonly port?: number;
  readonly host?: string;
  /** Default `/biggsinc_loyalty/controller/`. */
  readonly basePath?: string;
  readonly faults?: readonly FaultRuleInput[];
  /** Answer the HTML error page unless User-Agent (a browser one), Referer and Origin are sent. */
  readonly requireBrowserHeaders?: boolean;
  /** Seed of probabilistic faults. */
  readonly seed?: number;
  /** Called for every finished request (the process entry logs them). */
  readonly onRequest?: (r: RequestRecord) => void;
}

export interface UpstreamSimulator {
  /** Base URL including the base path, ending in `/`. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  stats(withRequests?: boolean): StatsSnapshot;
  setFaults(faults: readonly FaultRuleInput[]): void;
  faults(): ReturnType<FaultSet['describe']>;
  resetStats(): void;
  /** Re-reads the folder (files added after start appear in lists). */
  rescan(): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_BASE_PATH = '/biggsinc_loyalty/controller/';
const LIST_SCRIPT = 'fetch_list2.php';
const MAX_FORM_BYTES = 64 * 1024;

export async function startUpstreamSimulator(opts: UpstreamSimulatorOptions): Promise<UpstreamSimulator> {
  const basePath = normaliseBase(opts.basePath ?? DEFAULT_BASE_PATH);
  const root = resolve(opts.dir);
  const index = new FileIndex(root);
  await index.rescan();
  const faults = new FaultSet(opts.seed ?? 1, opts.faults ?? []);
  const stats = new RequestStats();
  const downloadsByPath = new Map<string, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.startsWith('/__admin/')) return admin(req, res, url);
    const started = performance.now();
    const done = stats.begin();
    res.once('close', done);
    const rel = url.pathname.startsWith(basePath) ? safeDecode(url.pathname.slice(basePath.length)) : undefined;
    const kind: RequestRecord['kind'] = rel === LIST_SCRIPT ? 'list' : rel !== undefined && rel !== '' ? 'download' : 'other';
    let form: Record<string, string> | undefined;
    let result = { status: 0, bytes: 0, complete: false };
    let decision: FaultDecision = { latencyMs: 0, action: undefined, fired: [] };
    try {
      if (kind === 'list' && req.method === 'POST') form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      if (opts.requireBrowserHeaders === true && !hasBrowserHeaders(req)) {
        result = await sendBody(res, bufferSource(Buffer.from(FORBIDDEN_PAGE)), 'text/html; charset=UTF-8', undefined);
      } else if (kind === 'list' && req.method === 'POST') {
        decision = faults.decide({ target: 'list', path: LIST_SCRIPT, branch: form?.branch, pos: form?.pos, date: form?.date });
        if (decision.latencyMs > 0) await sleep(decision.latencyMs);
        result = await sendBody(res, bufferSource(Buffer.from(listBody(index, form ?? {}))), 'text/plain; charset=UTF-8', decision.action);
      } else if (kind === 'download' && (req.method === 'GET' || req.method === 'HEAD') && rel !== undefined) {
        const facts = downloadFacts(rel);
        decision = faults.decide(facts);
        if (decision.latencyMs > 0) await sleep(decision.latencyMs);
        const src = await openFile(root, rel);
        if (src === undefined) result = await sendBody(res, bufferSource(Buffer.from(NOT_FOUND_PAGE)), 'text/html; charset=iso-8859-1', { kind: 'status', status: 404, match: { target: 'any' } });
        else {
          const n = (downloadsByPath.get(rel) ?? 0) + 1;
          downloadsByPath.set(rel, n);
          const body = decision.action?.kind === 'mutate' && n > 1 ? bufferSource(mutateCsv(await readAll(src), decision.action.mode)) : src;
          result = await sendBody(res, body, 'text/csv', decision.action);
        }
      } else {
        // The PHP app answers anything it does not know with its HTML page.
        result = await sendBody(res, bufferSource(Buffer.from(HTML_ERROR_PAGE)), 'text/html; charset=UTF-8', undefined);
      }
    } catch {
      result = { ...result, complete: false };
      res.destroy();
    } finally {
      done();
      const r: RequestRecord = {
        at: new Date().toISOString(),
        method: req.method ?? '',
        path: url.pathname,
        kind,
        ...(form !== undefined ? { form } : {}),
        headers: pickHeaders(req),
        status: result.status,
        bytes: result.bytes,
        durationMs: Math.round(performance.now() - started),
        faults: decision.fired,
        outcome: result.complete ? 'complete' : 'aborted',
      };
      stats.record(r);
      opts.onRequest?.(r);
    }
  };

  const admin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method === 'GET' && url.pathname === '/__admin/stats') return json(200, stats.snapshot(url.searchParams.get('requests') !== '0'));
      if (req.method === 'GET' && url.pathname === '/__admin/faults') return json(200, faults.describe());
      if (req.method === 'POST' && url.pathname === '/__admin/faults') {
        const body: unknown = JSON.parse((await readBody(req)) || '[]');
        faults.replace(Array.isArray(body) ? body : (body as { faults?: unknown }).faults ?? []);
        return json(200, faults.describe());
      }
      if (req.method === 'POST' && url.pathname === '/__admin/reset') {
        stats.reset();
        downloadsByPath.clear();
        return json(200, { ok: true });
      }
      if (req.method === 'POST' && url.pathname === '/__admin/rescan') return json(200, { files: await index.rescan() });
      json(404, { error: 'unknown admin endpoint' });
    } catch (err) {
      json(400, { error: err instanceof Error ? err.message : String(err) });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => ok());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const origin = `http://${host}:${addr.port}`;
  return {
    url: `${origin}${basePath}`,
    origin,
    port: addr.port,
    stats: (withRequests = true) => stats.snapshot(withRequests),
    setFaults: (f) => faults.replace(f),
    faults: () => faults.describe(),
    resetStats: () => {
      stats.reset();
      downloadsByPath.clear();
    },
    rescan: () => index.rescan(),
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** Comma-separated paths; a trailing comma on some answers, as the real server does. */
function listBody(index: FileIndex, form: Record<string, string>): string {
  const { branch = '', pos = '', date = '' } = form;
  const paths = index.list(branch, pos, date);
  if (paths.length === 0) return '';
  return paths.join(',') + (hashSeed(branch, pos, date) % 3 === 0 ? ',' : '');
}

function downloadFacts(rel: string): RequestFacts {
  const key = keyOfName(rel.split('/').pop() ?? '');
  const [branch, pos, date] = key?.split('|') ?? [];
  return { target: 'download', path: rel, branch, pos, date };
}

async function openFile(root: string, rel: string): Promise<BodySource | undefined> {
  const abs = resolve(root, rel);
  if (!abs.startsWith(root + sep)) return undefined;
  try {
    const st = await stat(abs);
    return st.isFile() ? fileSource(abs, st.size) : undefined;
  } catch {
    return undefined;
  }
}

async function readAll(src: BodySource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of src.open() as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_FORM_BYTES) throw new Error('request body too large');
    parts.push(c);
  }
  return Buffer.concat(parts).toString('utf8');
}

function hasBrowserHeaders(req: IncomingMessage): boolean {
  const h = req.headers;
  return /Mozilla\//.test(h['user-agent'] ?? '') && (h.referer ?? '') !== '' && (h.origin ?? '') !== '';
}

function pickHeaders(req: IncomingMessage): RequestRecord['headers'] {
  const h = req.headers;
  return {
    ...(h['user-agent'] !== undefined ? { userAgent: h['user-agent'] } : {}),
    ...(h.referer !== undefined ? { referer: h.referer } : {}),
    ...(typeof h.origin === 'string' ? { origin: h.origin } : {}),
  };
}

function normaliseBase(p: string): string {
  const withLead = p.startsWith('/') ? p : `/${p}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export type { FaultRule, FaultRuleInput };
