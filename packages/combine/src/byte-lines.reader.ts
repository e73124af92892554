import type { ByteSource } from './line.reader.js';

/**
 * Lines of one input chunk as byte ranges of `buf`: line `firstLine + k` is
 * `buf[starts[k], ends[k])`, without its `\n` and a `\r` before it. The
 * batch (its buffer and arrays) is only valid until the next one is asked for.
 */
export interface ByteLineBatch {
  buf: Buffer;
  firstLine: number;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /** `buf[0, used)` holds every line of the batch (what a caller copies to keep them). */
  used: number;
}

/**
 * The lines of `readLineBatches`, left as bytes: the same lines with the same
 * numbers (`\n` or `\r\n` endings, a leading UTF-8 BOM dropped, the empty text
 * after a final newline not a line), for a caller that reads the usual ASCII
 * line on its bytes and decodes only the others (`decodeLine`). Text chunks are
 * taken as their UTF-8 bytes.
 */
export async function* readByteLines(source: ByteSource): AsyncGenerator<ByteLineBatch> {
  let starts: Int32Array = new Int32Array(1024);
  let ends: Int32Array = new Int32Array(1024);
  let carry: Buffer | null = null;
  let next = 1;
  for await (const chunk of source) {
    const bytes = toBuffer(chunk);
    if (bytes.length === 0) continue;
    const buf: Buffer = carry === null ? bytes : Buffer.concat([carry, bytes]);
    let count = 0;
    let start = next === 1 ? bomLength(buf) : 0;
    if (next === 1 && start === 0 && buf.length < 3 && isBomPrefix(buf)) {
      // Too few bytes yet to tell whether the file opens with a BOM.
      carry = Buffer.from(buf);
      continue;
    }
    for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
      if (count === starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      starts[count] = start;
      ends[count] = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
      count++;
      start = nl + 1;
    }
    if (count > 0) {
      // The BOM is only ever skipped once: what follows it now starts at 0 of the next batch.
      yield { buf, firstLine: next, count, starts, ends, used: start };
      next += count;
    } else if (next === 1) start = 0; // no line finished: the BOM is looked at again with the rest
    // The unfinished last line waits for the next chunk (copied: the chunk itself is not kept).
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  }
  if (carry === null) return;
  const start = next === 1 ? bomLength(carry) : 0;
  // A file that is only a BOM has no line (nor has the empty text after it).
  if (start === carry.length) return;
  starts[0] = start;
  ends[0] = carry.length > start && carry[carry.length - 1] === CR ? carry.length - 1 : carry.length;
  yield { buf: carry, firstLine: next, count: 1, starts, ends, used: carry.length };
}

/** The lines of a file held whole in one buffer (`readByteLines`' rules), synchronously: `onLine(start, end)` each. */
export function forEachByteLine(buf: Buffer, onLine: (start: number, end: number) => void): void {
  let start = bomLength(buf);
  if (start === buf.length) return; // empty, or only a BOM
  for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
    onLine(start, nl > start && buf[nl - 1] === CR ? nl - 1 : nl);
    start = nl + 1;
  }
  if (start < buf.length) onLine(start, buf[buf.length - 1] === CR ? buf.length - 1 : buf.length);
}

/** A line's text as `readLineBatches` gives it: ASCII byte for byte, else UTF-8 (invalid bytes as U+FFFD, a BOM inside kept). */
export function decodeLine(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if ((buf[i] as number) >= 0x80) return DECODER.decode(buf.subarray(start, end));
  }
  return buf.toString('latin1', start, end);
}

const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

/** The leading BOM's bytes: 3, or 0 without one. */
function bomLength(buf: Buffer): number {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

function isBomPrefix(buf: Buffer): boolean {
  return buf[0] === 0xef && (buf.length < 2 || buf[1] === 0xbb);
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function grow(a: Int32Array): Int32Array {
  const more = new Int32Array(a.length * 2);
  more.set(a);
  return more;
}

const LF = 0x0a;
const CR = 0x0d;
