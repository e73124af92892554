import { apiUrl, api } from './api.client.js';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental Server-Sent Events parser (the text/event-stream format):
 * feed it chunks, get whole events back. Kept pure so it is unit-tested.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const width = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + width);
      if (line === '') {
        if (this.data.length > 0)
          out.push({
            event: this.event || 'message',
            data: this.data.join('\n'),
            ...(this.id !== undefined ? { id: this.id } : {}),
          });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (name === 'event') this.event = value;
      else if (name === 'data') this.data.push(value);
      else if (name === 'id') this.id = value;
    }
    return out;
  }
}

/**
 * Subscribes to an SSE endpoint with the API key. EventSource cannot send an
 * Authorization header, so this reads the stream through fetch, and
 * reconnects after a drop (the gateway replays the current state to a new
 * subscriber, so nothing is missed). Returns a function that stops it.
 */
export function subscribe(
  path: string,
  onEvent: (e: SseEvent) => void,
  onError?: (err: unknown) => void,
): () => void {
  const ctrl = new AbortController();
  let stopped = false;
  const run = async (): Promise<void> => {
    let backoff = 1_000;
    while (!stopped) {
      try {
        const res = await fetch(apiUrl(path), {
          headers: { accept: 'text/event-stream', ...api.authHeaders() },
          signal: ctrl.signal,
        });
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        backoff = 1_000;
        const parser = new SseParser();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const e of parser.push(value)) onEvent(e);
        }
      } catch (err) {
        if (stopped) return;
        onError?.(err);
      }
      if (stopped) return;
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 15_000);
    }
  };
  void run();
  return () => {
    stopped = true;
    ctrl.abort();
  };
}
