import { keyStore } from './key.store.js';

export const API_BASE = '/api/v1';

/** An API answer that was not 2xx, with the gateway's `{error: {code, message}}` when present. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

type Query = Record<
  string,
  string | number | boolean | readonly string[] | readonly number[] | null | undefined
>;

/** `?a=1&b=X,Y`, leaving out empty values (the API treats absent and empty alike). */
export function queryString(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length > 0) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function apiUrl(path: string, q: Query = {}): string {
  return `${API_BASE}${path}${queryString(q)}`;
}

function authHeaders(): Record<string, string> {
  const key = keyStore.get();
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function errorFrom(res: Response): Promise<ApiRequestError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // not JSON: keep the status text
  }
  return new ApiRequestError(res.status, code, message);
}

/** Listeners told when the key is refused, so the shell can ask for a new one. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(fn: () => void): void {
  unauthorizedListeners.add(fn);
}

async function request(
  method: 'GET' | 'POST',
  path: string,
  q: Query,
  body?: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(apiUrl(path, q), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: signal ?? null,
  });
  if (!res.ok) {
    if (res.status === 401) for (const fn of unauthorizedListeners) fn();
    throw await errorFrom(res);
  }
  return res;
}

export const api = {
  async get<T>(path: string, q: Query = {}, signal?: AbortSignal): Promise<T> {
    const res = await request('GET', path, q, undefined, signal);
    return (await res.json()) as T;
  },
  async post<T>(path: string, body: unknown = {}): Promise<T> {
    const res = await request('POST', path, {}, body);
    return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
  },
  /**
   * Downloads an authenticated resource. A plain link cannot carry the
   * Authorization header, so the file is fetched and handed to the browser
   * as a blob under the server's file name.
   */
  async download(path: string, q: Query, fallbackName: string): Promise<string> {
    const res = await request('GET', path, q);
    const name = fileNameFrom(res.headers.get('content-disposition')) ?? fallbackName;
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    return name;
  },
  authHeaders,
};

export function fileNameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? null;
}
