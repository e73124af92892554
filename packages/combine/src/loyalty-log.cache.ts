import { giveBack, takeBuffer } from './buffer.pool.js';
import { buildLoyaltyLookup, loyaltyLineReader, loyaltyLookupOfBytes } from './group-lookups.builder.js';
import type { ByteSource } from './line.reader.js';

interface Entry {
  /** The last log seen under this slot: the cache's own copy, a view of `backing`. */
  bytes: Buffer;
  /** The pooled buffer holding `bytes`, handed back when the entry lets go of it. */
  backing: Buffer;
  /** ORNO → phone of the whole of `bytes`, first line wins; built the second time the slot is asked. */
  table: Map<string, string> | null;
  /** The table's keys in the order they were set (file order), and the byte offset of the line that set each. */
  order: string[];
  offsets: number[];
  /** What the entry is counted as against `maxTotalBytes`. */
  cost: number;
}

export interface LoyaltyLogCacheOptions {
  /** Logs larger than this are never kept (default 16 MiB; real ones are a few MB). */
  maxLogBytes?: number;
  /** Bytes of logs and tables kept at most, the least recently used slot dropped first (default 32 MiB). */
  maxTotalBytes?: number;
}

/** A rough per-entry cost of the table (two short strings and a map slot), for the memory bound. */
const TABLE_ENTRY_BYTES = 96;

/**
 * Loyalty logs (blpr) seen before, for a process that combines many groups
 * (a `combineFolder` run, the combiner service). A branch's log is
 * cumulative: the next day's file is the same bytes with new lines after
 * them. So per slot (a branch and POS) the cache keeps the last log's bytes
 * and its whole ORNO → phone table, each entry with the offset of the line
 * that set it. A new log is compared with the kept bytes (natively); only
 * the lines after the last newline they have in common are read again:
 * entries set by later lines are taken back out, then those lines are
 * scanned into the table in file order, so a key of the common prefix keeps
 * its first phone exactly as a whole scan would. A log that differs early,
 * or in its first line, is simply read whole. The first time a slot is asked
 * the log only gets the usual filtered scan (and is kept); the table is built
 * the second time, so a one-group run pays nothing extra. Logs and tables
 * are bounded by `maxTotalBytes`, least recently used slot dropped first.
 */
export class LoyaltyLogCache {
  /** By slot, least recently used first. */
  private readonly slots = new Map<string, Entry>();
  private total = 0;
  private readonly maxLogBytes: number;
  private readonly maxTotalBytes: number;
  private readonly readLine = loyaltyLineReader();
  /** `ignoreBOM`: a BOM inside the file stays, as `readLineBatches` keeps it; the leading one is cut on bytes. */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Bytes of logs scanned line by line into tables, and of logs reused from a kept prefix (for benchmarks). */
  readonly stats = { scannedBytes: 0, reusedBytes: 0 };

  constructor(options: LoyaltyLogCacheOptions = {}) {
    this.maxLogBytes = options.maxLogBytes ?? 16 * 1024 * 1024;
    this.maxTotalBytes = options.maxTotalBytes ?? 32 * 1024 * 1024;
  }

  /**
   * The loyalty lookup of `source` (as `buildLoyaltyLookup`: the same answer
   * for every key of `keys`, or the whole table without keys); `slot` names
   * whose log it is (e.g. `BRANCH_POS`), logs of one slot being expected to
   * grow from each other. The map returned is the caller's own.
   */
  async lookup(
    source: ByteSource,
    keys?: ReadonlySet<string>,
    slot = '',
  ): Promise<ReadonlyMap<string, string>> {
    const read = await readUpTo(source, this.maxLogBytes);
    if (read.rest !== null) return buildLoyaltyLookup(read.rest, keys);
    // From here on synchronous: groups in flight at the same time never see an entry half updated,
    // nor a kept log's buffer after it was handed back.
    const { bytes, backing } = read;
    const entry = this.slots.get(slot);
    if (entry === undefined) {
      this.store(slot, { bytes, backing, table: null, order: [], offsets: [], cost: 0 });
      return loyaltyLookupOfBytes(bytes, keys);
    }
    this.slots.delete(slot);
    this.slots.set(slot, entry);
    const from = entry.table === null ? 0 : reusableLength(entry.bytes, bytes);
    if (from === 0 || entry.table === null) {
      entry.table = new Map();
      entry.order = [];
      entry.offsets = [];
    } else this.takeBack(entry, from);
    this.scan(entry, bytes, from);
    this.stats.reusedBytes += from;
    this.stats.scannedBytes += bytes.length - from;
    // Kept unless the new log is the same bytes (the whole of it reused, same length).
    if (from !== bytes.length || entry.bytes.length !== bytes.length) {
      giveBack(entry.backing);
      entry.bytes = bytes;
      entry.backing = backing;
    } else giveBack(backing);
    this.store(slot, entry);
    return answer(entry.table, keys);
  }

  /** Entries set by lines at or after byte `from` are taken out (they were set last). */
  private takeBack(entry: Entry, from: number): void {
    const table = entry.table as Map<string, string>;
    while (entry.offsets.length > 0 && (entry.offsets[entry.offsets.length - 1] as number) >= from) {
      entry.offsets.pop();
      table.delete(entry.order.pop() as string);
    }
  }

  /** The lines of `bytes` from `from` (a line start) into the table, the loyalty rule line by line, first wins. */
  private scan(entry: Entry, bytes: Buffer, from: number): void {
    const table = entry.table as Map<string, string>;
    for (let start = from; start < bytes.length; ) {
      const nl = bytes.indexOf(LF, start);
      const next = nl === -1 ? bytes.length : nl + 1;
      let end = nl === -1 ? bytes.length : nl;
      if (end > start && bytes[end - 1] === CR) end--;
      let first = start;
      if (start === 0 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) first = 3;
      const e =
        plainEntry(bytes, first, end) ?? this.readLine(this.decoder.decode(bytes.subarray(first, end)));
      if (e !== null && e !== NO_ENTRY && e[0] !== '' && !table.has(e[0])) {
        table.set(e[0], e[1]);
        entry.order.push(e[0]);
        entry.offsets.push(start);
      }
      start = next;
    }
  }

  /** (Re)counts `entry` under `slot`, then drops least recently used slots beyond the bound (never the last one). */
  private store(slot: string, entry: Entry): void {
    this.total -= entry.cost;
    entry.cost = entry.backing.length + (entry.table?.size ?? 0) * TABLE_ENTRY_BYTES;
    this.total += entry.cost;
    this.slots.set(slot, entry);
    for (const [oldest, e] of this.slots) {
      if (this.total <= this.maxTotalBytes || this.slots.size <= 1) break;
      this.slots.delete(oldest);
      this.total -= e.cost;
      giveBack(e.backing);
    }
  }
}

/** `plainEntry`'s answer for a line that sets nothing. */
const NO_ENTRY: [string, string] = ['', ''];

/**
 * The loyalty rule on the bytes of the usual line shape, ASCII
 * `STORE,PHONE,TRANSNO,ORNO,...` with STORE and PHONE unquoted, TRANSNO
 * quoted or not, ORNO unquoted or `"=""…"""`: [ORNO, phone], or NO_ENTRY
 * when the line sets nothing; undefined for any other shape (a quote or a
 * non-ASCII byte where it matters), left to the decoded line and the CSV
 * parser. Most lines are read without a string made for the whole line.
 */
export function plainEntry(buf: Buffer, start: number, end: number): [string, string] | undefined {
  let i = start;
  // STORE: unquoted, ASCII.
  for (; i < end; i++) {
    const b = buf[i] as number;
    if (b === COMMA) break;
    if (b === QUOTE || b >= 0x80) return undefined;
  }
  if (i >= end) return NO_ENTRY; // one column
  const phoneStart = ++i;
  for (; i < end; i++) {
    const b = buf[i] as number;
    if (b === COMMA) break;
    if (b === QUOTE || b >= 0x80) return undefined;
  }
  const phoneEnd = i;
  if (i >= end) return NO_ENTRY; // two columns
  // TRANSNO: skipped, quoted the usual way (closing quote then a comma) or not at all.
  i++;
  if (buf[i] === QUOTE) {
    for (i++; ; i++) {
      if (i >= end) return undefined;
      if (buf[i] === QUOTE) {
        if (buf[i + 1] === QUOTE) i++;
        else break;
      }
    }
    i++;
    if (i < end && buf[i] !== COMMA) return undefined;
  } else {
    for (; i < end; i++) {
      const b = buf[i] as number;
      if (b === COMMA) break;
      if (b === QUOTE) return undefined;
    }
  }
  if (i >= end) return NO_ENTRY; // three columns
  i++;
  if (phoneEnd - phoneStart !== 11) return NO_ENTRY; // ASCII: its bytes are its characters
  const phone = buf.toString('latin1', phoneStart, phoneEnd);
  if (buf[i] === QUOTE) {
    // `"=""…"""` then a comma or the end: the value `="…"`, unwrapped to `…`.
    if (buf[i + 1] !== EQUALS || buf[i + 2] !== QUOTE || buf[i + 3] !== QUOTE) return undefined;
    let j = i + 4;
    for (; j < end; j++) {
      const b = buf[j] as number;
      if (b === QUOTE) break;
      if (b >= 0x80 || b === COMMA) return undefined;
    }
    if (j === i + 4 || j + 2 >= end || buf[j + 1] !== QUOTE || buf[j + 2] !== QUOTE) return undefined;
    if (j + 3 !== end && buf[j + 3] !== COMMA) return undefined;
    return [buf.toString('latin1', i + 4, j), phone];
  }
  let j = i;
  for (; j < end; j++) {
    const b = buf[j] as number;
    if (b === COMMA) break;
    if (b === QUOTE || b >= 0x80) return undefined;
  }
  return j === i ? NO_ENTRY : [buf.toString('latin1', i, j), phone];
}

/**
 * How many leading bytes of `next` are whole lines (newline included) that
 * `kept` has too, byte for byte: `next`'s last newline within their common
 * prefix, plus one; 0 when there is none.
 */
export function reusableLength(kept: Buffer, next: Buffer): number {
  const common =
    kept.length <= next.length && next.compare(kept, 0, kept.length, 0, kept.length) === 0
      ? kept.length
      : firstDifference(kept, next);
  return common === 0 ? 0 : next.lastIndexOf(LF, common - 1) + 1;
}

/** The first offset where `a` and `b` differ (the shorter length when one is a prefix of the other). */
function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Block by block natively, then the differing block byte by byte.
  for (let block = 64 * 1024; block >= 1; block >>= 4) {
    while (i + block <= n && a.compare(b, i, i + block, i, i + block) === 0) i += block;
  }
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** The caller's own map: only the keys it will ask (the table keeps changing), or all of it. */
function answer(table: Map<string, string>, keys: ReadonlySet<string> | undefined): Map<string, string> {
  if (keys === undefined) return new Map(table);
  const out = new Map<string, string>();
  for (const key of keys) {
    const phone = table.get(key);
    if (phone !== undefined) out.set(key, phone);
  }
  return out;
}

/**
 * The whole source copied into a pooled buffer (`bytes` a view of `backing`)
 * when it has at most `max` bytes: a source's chunks are only valid until the
 * next is asked for. Else `rest`: the same bytes as a source again (what was
 * read, then the rest).
 */
async function readUpTo(
  source: ByteSource,
  max: number,
): Promise<{ bytes: Buffer; backing: Buffer; rest: null } | { bytes: null; rest: ByteSource }> {
  let backing: Buffer | null = null;
  let size = 0;
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]
    ? (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
    : toAsync((source as Iterable<Uint8Array | string>)[Symbol.iterator]());
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = next.value;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (size + bytes.length > max) {
      // Copies: the chunk is the source's, the buffer goes back to the pool.
      const read = [
        backing === null ? Buffer.alloc(0) : Buffer.from(backing.subarray(0, size)),
        Buffer.from(bytes),
      ];
      if (backing !== null) giveBack(backing);
      return {
        bytes: null,
        rest: (async function* () {
          yield* read;
          for (let n = await iterator.next(); n.done !== true; n = await iterator.next()) yield n.value;
        })(),
      };
    }
    if (backing === null || size + bytes.length > backing.length) {
      const bigger = takeBuffer(size + bytes.length);
      if (backing !== null) {
        backing.copy(bigger, 0, 0, size);
        giveBack(backing);
      }
      backing = bigger;
    }
    backing.set(bytes, size);
    size += bytes.length;
  }
  backing ??= takeBuffer(0);
  return { bytes: backing.subarray(0, size), backing, rest: null };
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return { next: () => Promise.resolve(iterator.next()) };
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EQUALS = 0x3d;
