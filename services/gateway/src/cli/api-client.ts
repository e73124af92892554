/** A thin HTTP client of the gateway API for the CLI (Node's fetch; no dependency). */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}), ...extra };
  }

  url(path: string): string {
    return `${this.baseUrl.replace(/\/$/, '')}/api/v1${path}`;
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url(path), {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const err = (json as { error?: { message?: string } } | undefined)?.error;
      throw new ApiCallError(res.status, err?.message ?? `HTTP ${res.status}`);
    }
    return json as T;
  }

  /** The raw response (exports, event streams). */
  async stream(path: string): Promise<Response> {
    const res = await fetch(this.url(path), { headers: this.headers() });
    if (!res.ok) {
      const text = await res.text();
      let message = `HTTP ${res.status}`;
      try {
        message = (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        // not our error shape
      }
      throw new ApiCallError(res.status, message);
    }
    return res;
  }
}

export class ApiCallError extends Error {
  override name = 'ApiCallError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a Server-Sent Events body into {event, data} records. */
export async function* readEvents(res: Response): AsyncGenerator<{ event: string; data: string }> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
  }
}
