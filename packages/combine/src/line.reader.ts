import { isAscii } from 'node:buffer';

/**
 * Anything that yields the bytes of one file: a Node Readable (fs, GridFS,
 * HTTP body), a web stream's async iterator, or a test's array of chunks.
 * Strings are accepted too so tests can hand over text directly.
 */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Lines of one chunk of input; `firstLine` is the 1-based number of `lines[0]`. */
export interface LineBatch {
  firstLine: number;
  lines: string[];
}

/**
 * Streams a file as batches of lines (one batch per input chunk, so the
 * per-line cost stays a plain loop, not an await). UTF-8 with a leading BOM
 * dropped (one; a BOM further in is text), invalid bytes decoded as U+FFFD rather
 * than failing the whole partition; `\n` or `\r\n` endings; the empty text
 * after a final newline is not a line.
 */
export async function* readLineBatches(source: ByteSource): AsyncGenerator<LineBatch> {
  // `ignoreBOM`: the leading BOM is dropped from line 1 below (however the file starts); the decoder's
  // own rule would drop one wherever it first gets bytes, mid-file when the first chunks were ASCII.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // While every chunk has been ASCII the decoder holds no partial character, and ASCII reads as latin1
  // (a byte-for-byte copy, faster than the UTF-8 decoder); the first other chunk hands over to the decoder for good.
  let ascii = true;
  let carry = '';
  let next = 1;
  for await (const chunk of source) {
    let decoded: string;
    if (typeof chunk === 'string') decoded = chunk;
    else if (ascii && isAscii(chunk)) decoded = latin1(chunk);
    else {
      ascii = false;
      decoded = decoder.decode(chunk, { stream: true });
    }
    const text = carry + decoded;
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (lines.length === 0) continue;
    stripCarriageReturns(lines);
    if (next === 1) stripBom(lines);
    yield { firstLine: next, lines };
    next += lines.length;
  }
  const rest = carry + decoder.decode();
  // A file that is only a BOM has no line, as an empty one has none.
  if (rest !== '' && !(next === 1 && rest === '\uFEFF')) {
    const lines = [rest];
    stripCarriageReturns(lines);
    if (next === 1) stripBom(lines);
    yield { firstLine: next, lines };
  }
}

function latin1(bytes: Uint8Array): string {
  return (
    Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  ).toString('latin1');
}

/** The leading BOM, from bytes or text. */
function stripBom(lines: string[]): void {
  const first = lines[0];
  if (first !== undefined && first.charCodeAt(0) === 0xfeff) lines[0] = first.slice(1);
}

function stripCarriageReturns(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.charCodeAt(l.length - 1) === 0x0d) lines[i] = l.slice(0, -1);
  }
}

/**
 * Data rows of an export (lines after the header, same line rule as
 * `readLineBatches`), counted on the bytes without decoding: what the
 * re-send chooser compares.
 */
export async function countDataRows(source: ByteSource): Promise<number> {
  let lines = 0;
  let lastByte = 0x0a;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) continue;
    for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) lines++;
    lastByte = bytes[bytes.length - 1] as number;
  }
  if (lastByte !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}
