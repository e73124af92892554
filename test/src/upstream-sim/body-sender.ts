import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTML_ERROR_PAGE, statusPage, TEXT_ERROR } from './error-pages.js';
import type { FaultDecision } from './faults.js';

/** A response body that can be re-read from any offset: a file on disk or a buffer. */
export interface BodySource {
  readonly size: number;
  /** Bytes [start, end] inclusive. */
  open(start?: number, end?: number): Readable;
}

export function bufferSource(buf: Buffer): BodySource {
  return { size: buf.length, open: (start = 0, end = buf.length - 1) => Readable.from([buf.subarray(start, end + 1)]) };
}

export function fileSource(path: string, size: number): BodySource {
  return { size, open: (start = 0, end = size - 1) => (end < start ? Readable.from([]) : createReadStream(path, { start, end, highWaterMark: 64 * 1024 })) };
}

export interface SendResult {
  readonly status: number;
  readonly bytes: number;
  readonly complete: boolean;
}

/**
 * Writes the body, or the failure the fault decision asks for. Error pages
 * come with status 200, as the real server sends them; transport faults keep
 * correct-looking headers (full Content-Length) and break the body.
 */
export async function sendBody(res: ServerResponse, src: BodySource, contentType: string, action: FaultDecision['action']): Promise<SendResult> {
  switch (action?.kind) {
    case undefined:
    case 'mutate':
      return streamBody(res, src, contentType, src.size);
    case 'html-error':
      return small(res, 200, 'text/html; charset=UTF-8', HTML_ERROR_PAGE);
    case 'text-error':
      return small(res, 200, 'text/html; charset=UTF-8', TEXT_ERROR);
    case 'status':
      return small(res, action.status, 'text/html; charset=iso-8859-1', statusPage(action.status));
    case 'reset': {
      if (action.afterBytes === 0) {
        res.socket?.resetAndDestroy();
        return { status: 0, bytes: 0, complete: false };
      }
      const sent = await streamBody(res, src, contentType, Math.min(action.afterBytes, src.size));
      // Let the bytes leave before the RST, which would otherwise discard them.
      await sleep(20);
      res.socket?.resetAndDestroy();
      return { ...sent, complete: false };
    }
    case 'truncate': {
      const cut = Math.max(0, Math.min(src.size - 1, action.afterBytes ?? Math.floor(src.size * (action.fraction ?? 0.5))));
      const sent = await streamBody(res, src, contentType, cut);
      res.socket?.end();
      return { ...sent, complete: false };
    }
    case 'slow':
      return streamBody(res, src, contentType, src.size, action.bytesPerSecond);
  }
}

function small(res: ServerResponse, status: number, contentType: string, body: string): SendResult {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': buf.length });
  res.end(buf);
  return { status, bytes: buf.length, complete: true };
}

/** Headers announce the full size; only `limit` bytes are written (all of them unless a fault cuts it). */
async function streamBody(res: ServerResponse, src: BodySource, contentType: string, limit: number, bytesPerSecond?: number): Promise<SendResult> {
  res.writeHead(200, { 'content-type': contentType, 'content-length': src.size });
  let bytes = 0;
  if (limit > 0) {
    const step = bytesPerSecond === undefined ? Infinity : Math.max(1, Math.floor(bytesPerSecond / 10));
    for await (const chunk of src.open(0, limit - 1) as AsyncIterable<Buffer>) {
      for (let off = 0; off < chunk.length; off += step === Infinity ? chunk.length : step) {
        if (res.destroyed) return { status: 200, bytes, complete: false };
        const piece = step === Infinity ? chunk : chunk.subarray(off, off + step);
        // Pause before a piece rather than after, so the last byte and the stats record go together.
        if (bytesPerSecond !== undefined && bytes > 0) await sleep((piece.length / bytesPerSecond) * 1000);
        if (res.destroyed) return { status: 200, bytes, complete: false };
        bytes += piece.length;
        if (!res.write(piece)) await drainedOrClosed(res);
      }
    }
  }
  if (limit < src.size || res.destroyed) return { status: 200, bytes, complete: false };
  // Recorded as complete once the last byte is handed over, so stats are never behind the client.
  res.end();
  return { status: 200, bytes, complete: true };
}

/** Waits for 'drain' or 'close' and removes both listeners (a race of two `once` would leak one per chunk). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((ok) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      ok();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
