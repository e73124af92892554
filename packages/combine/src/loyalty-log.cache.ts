import { buildLoyaltyLookup } from './group-lookups.builder.js';
import type { ByteSource } from './line.reader.js';

interface Entry {
  bytes: Buffer;
  /** The whole log's ORNO → phone, built the second time the log is seen. */
  all: ReadonlyMap<string, string> | null;
}

export interface LoyaltyLogCacheOptions {
  /** Logs larger than this are never kept (default 16 MiB; real ones are a few MB). */
  maxLogBytes?: number;
  /** Bytes of logs kept at most, least recently used dropped first (default 32 MiB). */
  maxTotalBytes?: number;
}

/**
 * Loyalty logs (blpr) seen before, by content, for a run that combines many
 * groups. A branch's log is cumulative and often the same file day after day
 * (the fixtures' BMC log is byte-identical four months apart), so the second
 * time a log turns up it is read whole once into ORNO → phone, and from then
 * on a group with the same bytes gets that table after one memcmp instead of
 * a scan. A log seen once costs only the usual filtered scan (and is kept to
 * be recognised). The table answers every TRANSNO exactly as the filtered
 * lookup would: both apply the same rule to the same lines.
 */
export class LoyaltyLogCache {
  private readonly bySize = new Map<number, Entry[]>();
  /** Least recently used first. */
  private readonly order: Entry[] = [];
  private total = 0;
  private readonly maxLogBytes: number;
  private readonly maxTotalBytes: number;

  constructor(options: LoyaltyLogCacheOptions = {}) {
    this.maxLogBytes = options.maxLogBytes ?? 16 * 1024 * 1024;
    this.maxTotalBytes = options.maxTotalBytes ?? 32 * 1024 * 1024;
  }

  /** The loyalty lookup of `source` (see `buildLoyaltyLookup`); `keys` as there. */
  async lookup(source: ByteSource, keys?: ReadonlySet<string>): Promise<ReadonlyMap<string, string>> {
    const read = await readUpTo(source, this.maxLogBytes);
    if (read.rest !== null) return buildLoyaltyLookup(read.rest, keys);
    const bytes = read.bytes;
    const entry = this.bySize.get(bytes.length)?.find((e) => e.bytes.equals(bytes));
    if (entry === undefined) {
      // Kept as a copy: the source may reuse its buffer for other bytes later.
      this.add({ bytes: Buffer.from(bytes), all: null });
      return buildLoyaltyLookup([bytes], keys);
    }
    this.touch(entry);
    entry.all ??= await buildLoyaltyLookup([bytes]);
    return entry.all;
  }

  private add(entry: Entry): void {
    const same = this.bySize.get(entry.bytes.length);
    if (same === undefined) this.bySize.set(entry.bytes.length, [entry]);
    else same.push(entry);
    this.order.push(entry);
    this.total += entry.bytes.length;
    while (this.total > this.maxTotalBytes && this.order.length > 1) this.drop(this.order[0] as Entry);
  }

  private touch(entry: Entry): void {
    this.order.splice(this.order.indexOf(entry), 1);
    this.order.push(entry);
  }

  private drop(entry: Entry): void {
    this.order.splice(this.order.indexOf(entry), 1);
    const same = this.bySize.get(entry.bytes.length) ?? [];
    same.splice(same.indexOf(entry), 1);
    if (same.length === 0) this.bySize.delete(entry.bytes.length);
    this.total -= entry.bytes.length;
  }
}

/**
 * The whole source as one buffer when it has at most `max` bytes; else
 * `rest`: the same bytes as a source again (what was read, then the rest).
 */
async function readUpTo(
  source: ByteSource,
  max: number,
): Promise<{ bytes: Buffer; rest: null } | { bytes: null; rest: ByteSource }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]
    ? (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
    : toAsync((source as Iterable<Uint8Array | string>)[Symbol.iterator]());
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = next.value;
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(bytes);
    size += bytes.length;
    if (size > max) {
      return {
        bytes: null,
        rest: (async function* () {
          yield* chunks;
          for (let n = await iterator.next(); n.done !== true; n = await iterator.next()) yield n.value;
        })(),
      };
    }
  }
  return { bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size), rest: null };
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return { next: () => Promise.resolve(iterator.next()) };
}
