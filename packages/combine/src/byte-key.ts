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
 * compared on its bytes (an open-addressing table of typed arrays), so a key
 * seen before costs no string and no Map call. The answer is computed from
 * the key as a string the first time. At most `maxKeys` are kept: past that
 * it starts again (a huge file's keys are not all kept).
 */
export class ByteKeyedMemo<V> {
  private slots = new Int32Array(64);
  private hashes: number[] = [];
  private keys: string[] = [];
  private values: V[] = [];
  /** The entry asked last (neighbouring rows often share one), -1 before the first. */
  private last = -1;

  constructor(
    private readonly compute: (key: string) => V,
    private readonly maxKeys = 10_000,
  ) {}

  get(buf: Buffer, start: number, end: number): V {
    const last = this.last;
    if (last >= 0 && sameBytes(this.keys[last] as string, buf, start, end)) return this.values[last] as V;
    const h = hashBytes(buf, start, end);
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = h & mask;
    for (let slot = slots[i] as number; slot !== 0; slot = slots[(i = (i + 1) & mask)] as number) {
      const entry = slot - 1;
      if (this.hashes[entry] === h && sameBytes(this.keys[entry] as string, buf, start, end)) {
        this.last = entry;
        return this.values[entry] as V;
      }
    }
    const key = buf.toString('latin1', start, end);
    const value = this.compute(key);
    this.add(h, key, value);
    return value;
  }

  private add(hash: number, key: string, value: V): void {
    if (this.keys.length >= this.maxKeys) {
      this.slots = new Int32Array(64);
      this.hashes = [];
      this.keys = [];
      this.values = [];
    } else if ((this.keys.length + 1) * 2 > this.slots.length) {
      // At most half full: rebuilt twice the size.
      this.slots = new Int32Array(this.slots.length * 2);
      for (let e = 0; e < this.keys.length; e++) this.place(this.hashes[e] as number, e);
    }
    const entry = this.keys.length;
    this.hashes.push(hash);
    this.keys.push(key);
    this.values.push(value);
    this.place(hash, entry);
    this.last = entry;
  }

  private place(hash: number, entry: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = entry + 1;
  }
}
