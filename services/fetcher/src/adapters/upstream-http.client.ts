import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { PartitionKey } from '@posflow/contracts';
import { classifyListAnswer, type ListAnswer } from '../domain/list-answer.classifier.js';
import { UpstreamError, type RequestKind, type UpstreamErrorKind } from '../domain/upstream-error.js';

export interface UpstreamHttpOptions {
  /** Ends with `/`; the list endpoint and the listed paths are relative to it. */
  baseUrl: string;
  /** The legacy client's browser-like headers; the server may reject requests without them. */
  userAgent: string;
  referer: string;
  origin: string;
  /** Until the response headers arrive; also the whole budget of a list request. */
  timeoutMs: number;
  /** Longest silence allowed while a body is streaming. */
  idleTimeoutMs: number;
  /** Whole budget of one download (files can be large, so this is separate from timeoutMs). */
  downloadTimeoutMs: number;
}

export interface DownloadResponse {
  body: Readable;
  /** From Content-Length, when the server sent one. */
  contentLength: number | undefined;
  /** True once the download's whole-time budget ran out (the body then fails with an abort). */
  timedOut(): boolean;
}

/** List bodies are a line of names; anything bigger is not a list. */
const MAX_LIST_BYTES = 4 * 1024 * 1024;

/**
 * The two upstream endpoints over undici with a keep-alive agent. Knows HTTP
 * and the server's answer shapes, nothing about permits, breakers or storage
 * (see guarded-upstream.ts). Every failure comes out as an UpstreamError.
 */
export class UpstreamHttpClient {
  private readonly agent: Agent;

  constructor(private readonly opts: UpstreamHttpOptions) {
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.idleTimeoutMs,
      connect: { timeout: Math.min(opts.timeoutMs, 30_000) },
    });
  }

  async list(key: PartitionKey, signal: AbortSignal): Promise<ListAnswer> {
    const url = new URL('fetch_list2.php', this.opts.baseUrl);
    const form = new URLSearchParams({ branch: key.branch, pos: String(key.pos), date: key.date });
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs)]);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { ...this.browserHeaders(), 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: deadline,
      });
      await this.checkStatus('list', res.statusCode, res.body);
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > MAX_LIST_BYTES) {
        res.body.destroy();
        throw new UpstreamError('list', 'invalid-header', `list answer of ${declared} bytes`);
      }
      return classifyListAnswer(await res.body.text());
    } catch (err) {
      throw toUpstreamError('list', err, signal);
    }
  }

  /** Starts a download; the caller must consume or destroy `body`. */
  async download(path: string, signal: AbortSignal): Promise<DownloadResponse> {
    const url = /^https?:\/\//i.test(path)
      ? new URL(path)
      : new URL(this.opts.baseUrl + path.replace(/^\/+/, ''));
    const budget = AbortSignal.timeout(this.opts.downloadTimeoutMs);
    const deadline = AbortSignal.any([signal, budget]);
    try {
      const res = await request(url, {
        method: 'GET',
        dispatcher: this.agent,
        headers: this.browserHeaders(),
        signal: deadline,
      });
      await this.checkStatus('download', res.statusCode, res.body);
      const len = res.headers['content-length'];
      const contentLength = typeof len === 'string' && /^\d+$/.test(len) ? Number(len) : undefined;
      return { body: res.body, contentLength, timedOut: () => budget.aborted };
    } catch (err) {
      throw toUpstreamError('download', err, signal);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private browserHeaders(): Record<string, string> {
    return {
      'user-agent': this.opts.userAgent,
      referer: this.opts.referer,
      origin: this.opts.origin,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    };
  }

  private async checkStatus(
    kind: RequestKind,
    status: number,
    body: { dump(): Promise<void> },
  ): Promise<void> {
    if (status >= 200 && status < 300) return;
    await body.dump().catch(() => undefined); // frees the keep-alive socket
    throw new UpstreamError(kind, status >= 500 ? 'http-5xx' : 'http-4xx', `HTTP ${status}`);
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
const RESET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);

/**
 * Maps a transport error to an UpstreamError. Returns the error unchanged
 * when it is ours already or when `signal` (shutdown) aborted the request:
 * that says nothing about the upstream.
 */
export function toUpstreamError(kind: RequestKind, err: unknown, signal?: AbortSignal): unknown {
  if (err instanceof UpstreamError || signal?.aborted) return err;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const error = transportErrorKind(e) ?? transportErrorKind(e.cause as typeof e | undefined);
  if (!error) return err;
  const message =
    typeof e.message === 'string' ? e.message : typeof e.code === 'string' ? e.code : 'transport error';
  return new UpstreamError(kind, error, message, { cause: err });
}

/** The transport failure an error stands for, or undefined when it is not one (e.g. a database error). */
export function transportErrorKind(
  e: { code?: unknown; name?: unknown } | undefined,
): UpstreamErrorKind | undefined {
  if (!e) return undefined;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return 'truncated';
  if (TIMEOUT_CODES.has(code) || e.name === 'TimeoutError') return 'timeout';
  if (
    RESET_CODES.has(code) ||
    code.startsWith('HPE_') ||
    code === 'UND_ERR_ABORTED' ||
    e.name === 'AbortError'
  )
    return 'reset';
  return undefined;
}
