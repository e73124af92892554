/**
 * Keys read on their bytes: a hash of a byte range, and answers memoised per
 * distinct key without making a string of a key seen before.
 */

/** A hash of `buf[start, end)` (a small integer, a cheap Map or Set key); `hashText` of the same text as UTF-8 agrees. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (buf[i] as number)) | 0;
  return h & 0x3fffffff;
}

/** `hashBytes` of the text's UTF-8 bytes. */
export function hashText(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return hashBytes(bytes, 0, bytes.length);
}

/** Whether the ASCII string `key` is `buf[start, end)`. */
export function sameBytes(key: string, buf: Uint8Array, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/**
 * Answers per distinct key, the key given as an ASCII byte range: hashed and
 * compared on its bytes, so a key seen before costs no string. The answer is
 * computed from the key as a string the first time. At most `maxKeys` are
 * kept: past that it starts again (a huge file's keys are not all kept).
 */
export class ByteKeyedMemo<V> {
  private readonly entries = new Map<number, MemoEntry<V>>();
  /** The key asked last (neighbouring rows often share one), null before the first. */
  private last: MemoEntry<V> | null = null;

  constructor(
    private readonly compute: (key: string) => V,
    private readonly maxKeys = 10_000,
  ) {}

  get(buf: Buffer, start: number, end: number): V {
    const last = this.last;
    if (last !== null && sameBytes(last.key, buf, start, end)) return last.value;
    const h = hashBytes(buf, start, end);
    const first = this.entries.get(h);
    for (let e = first; e !== undefined; e = e.next) {
      if (sameBytes(e.key, buf, start, end)) {
        this.last = e;
        return e.value;
      }
    }
    const key = buf.toString('latin1', start, end);
    const value = this.compute(key);
    if (this.entries.size >= this.maxKeys) this.entries.clear();
    const entry = { key, value, next: this.entries.get(h) };
    this.entries.set(h, entry);
    this.last = entry;
    return value;
  }
}

interface MemoEntry<V> {
  key: string;
  value: V;
  next: MemoEntry<V> | undefined;
}
