import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

const CHUNK = 64 * 1024;

/** Gathers small strings into ~64 KiB chunks: one write per line would cost more than the lines. */
async function* chunked(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let buf = '';
  for await (const l of lines) {
    buf += l;
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * Streams text to the response with backpressure (the source is pulled only
 * as fast as the client reads), so an export of any size holds one chunk in
 * memory. A client that goes away stops the source (its database cursor closes).
 */
export async function streamText(
  res: Response,
  headers: Record<string, string>,
  lines: AsyncIterable<string>,
): Promise<undefined> {
  res.writeHead(200, headers);
  try {
    await pipeline(Readable.from(chunked(lines)), res);
  } catch (err) {
    if (!res.destroyed) res.destroy(err as Error);
  }
  return undefined;
}

export function attachment(filename: string, type = 'text/csv; charset=utf-8'): Record<string, string> {
  return { 'content-type': type, 'content-disposition': `attachment; filename="${filename.replace(/"/g, '')}"` };
}
