import type { ByteSource } from './line.reader.js';

/**
 * The blpr (cumulative loyalty log, ~20 lines per rd5000 row) filtered on its
 * bytes: only lines whose ORNO (column 3, unwrapped from `="..."`) is one of
 * `keys` are decoded and handed to `onLine`, the rest are never turned into
 * strings. The filter may let a line through that does not match (the caller
 * applies the exact rule to what it gets) but never holds one back: a line
 * whose ORNO it cannot settle on bytes alone (non-ASCII, an unclosed quote, a
 * very long value) is handed over too. Lines follow `readLineBatches`: UTF-8,
 * a leading BOM dropped, `\n` or `\r\n` endings, a last line without newline
 * counts, in file order.
 */
export async function scanLoyaltyLog(
  source: ByteSource,
  keys: ReadonlySet<string>,
  onLine: (line: string) => void,
): Promise<void> {
  const scanner = new LoyaltyLineScanner(keys, onLine);
  let carry: Buffer | null = null;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
    const buf: Buffer = carry === null ? bytes : Buffer.concat([carry, bytes]);
    let start = 0;
    for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
      scanner.line(buf, start, nl);
      start = nl + 1;
    }
    // The unfinished last line waits for the next chunk (copied: the chunk itself is not kept).
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  }
  if (carry !== null) scanner.line(carry, 0, carry.length);
}

/** `scanLoyaltyLog` of a log held whole in one buffer, synchronously. */
export function scanLoyaltyBytes(
  buf: Buffer,
  keys: ReadonlySet<string>,
  onLine: (line: string) => void,
): void {
  const scanner = new LoyaltyLineScanner(keys, onLine);
  let start = 0;
  for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
    scanner.line(buf, start, nl);
    start = nl + 1;
  }
  if (start < buf.length) scanner.line(buf, start, buf.length);
}

class LoyaltyLineScanner {
  private readonly hashes = new Set<number>();
  private first = true;
  /** Candidate lines only: `ignoreBOM` so a BOM inside the file stays, as `readLineBatches` keeps it. */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    keys: ReadonlySet<string>,
    private readonly onLine: (line: string) => void,
  ) {
    // Keys with other characters are left out: a value with a non-ASCII byte is always handed over.
    for (const key of keys)
      if (key !== '' && ASCII.test(key)) this.hashes.add(keyHash(Buffer.from(key, 'latin1')));
  }

  /** One line, `buf[start, end)` without its `\n`. */
  line(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    if (this.first) {
      this.first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf)
        start += 3;
    }
    if (this.mayMatch(buf, start, end)) this.onLine(this.decoder.decode(buf.subarray(start, end)));
  }

  /**
   * Whether column 3's value, unwrapped, may be one of the keys: its hash is
   * one of theirs (a rare collision only costs an exact check), or it cannot
   * be told on bytes. The value is hashed as it is read, with `""` unescaped
   * and text after a closing quote appended (the lenient rules of
   * parseCsvLine), once whole and once from its third byte, so the hash of
   * `="00019910"` unwrapped is at hand when the value turns out wrapped.
   */
  private mayMatch(buf: Buffer, start: number, end: number): boolean {
    let i = start;
    for (let n = 0; n < 3; n++) {
      // A quote opens a field only at its start; unclosed, it runs to the end: no column 3, no entry.
      if (i < end && buf[i] === QUOTE) {
        for (i++; ; i++) {
          if (i >= end) return false;
          if (buf[i] === QUOTE) {
            if (i + 1 < end && buf[i + 1] === QUOTE) i++;
            else break;
          }
        }
      }
      while (i < end && buf[i] !== COMMA) i++;
      if (i >= end) return false; // fewer than 4 columns: no entry
      i++;
    }
    // The usual shape, `"=""00019910"""` then a comma or the end, is `="00019910"`: its digits are the key.
    if (buf[i] === QUOTE && buf[i + 1] === EQUALS && buf[i + 2] === QUOTE && buf[i + 3] === QUOTE) {
      let j = i + 4;
      let hash = 0;
      for (; j < end; j++) {
        const b = buf[j] as number;
        if (b === QUOTE || b >= 0x80) break;
        hash = (Math.imul(hash, 31) + b) | 0;
      }
      if (
        j + 2 < end &&
        buf[j] === QUOTE &&
        buf[j + 1] === QUOTE &&
        buf[j + 2] === QUOTE &&
        (j + 3 === end || buf[j + 3] === COMMA)
      )
        return j > i + 4 && this.hashes.has(mix(hash, j - i - 4));
    }
    let whole = 0;
    let inner = 0;
    let innerBefore = 0;
    let length = 0;
    let b0 = 0;
    let b1 = 0;
    let last = 0;
    let quoted = i < end && buf[i] === QUOTE;
    if (quoted) i++;
    for (; i < end; i++) {
      const b = buf[i] as number;
      if (quoted && b === QUOTE) {
        if (i + 1 < end && buf[i + 1] === QUOTE) i++;
        else {
          quoted = false;
          continue;
        }
      } else if (b === COMMA && !quoted) break;
      if (b >= 0x80) return true;
      if (length === 0) b0 = b;
      else if (length === 1) b1 = b;
      whole = (Math.imul(whole, 31) + b) | 0;
      innerBefore = inner;
      if (length >= 2) inner = (Math.imul(inner, 31) + b) | 0;
      last = b;
      length++;
    }
    if (quoted) return true; // unclosed: the rest of the line is the value, left to the exact rule
    // `="00019910"` → `00019910` (unwrapExcelText); an empty key never matches.
    if (length >= 3 && b0 === EQUALS && b1 === QUOTE && last === QUOTE)
      return length > 3 && this.hashes.has(mix(innerBefore, length - 3));
    return length > 0 && this.hashes.has(mix(whole, length));
  }
}

function keyHash(bytes: Uint8Array): number {
  let h = 0;
  for (const b of bytes) h = (Math.imul(h, 31) + b) | 0;
  return mix(h, bytes.length);
}

function mix(hash: number, length: number): number {
  return (hash ^ Math.imul(length, 0x9e3779b1)) | 0;
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

const ASCII = /^\p{ASCII}*$/u;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EQUALS = 0x3d;
