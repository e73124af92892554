import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { giveBack, takeBuffer } from './buffer.pool.js';

/**
 * Lines in file order as byte ranges of `bytes`: line `numbers[i]` (1-based)
 * is `bytes[starts[i], ends[i])`. Valid until the next segment is asked for.
 */
export interface LineSegment {
  bytes: Buffer;
  count: number;
  numbers: Float64Array;
  starts: Int32Array;
  ends: Int32Array;
  /**
   * What `push` was told of each line's columns, FIELD_SLOTS per line: the
   * number of columns, then where each ends (relative to the line's start);
   * NO_FIELDS when it was told nothing.
   */
  fields: Uint16Array;
}

/** Per line in `LineSegment.fields`: the count, then up to 38 column ends. */
export const FIELD_SLOTS = 39;
/** A line whose columns were not given (or too long to fit 16 bits). */
export const NO_FIELDS = 0xffff;

/** Memory per kept line besides its bytes: number, start, end, columns. */
const LINE_TABLE_BYTES = 8 + 4 + 4 + FIELD_SLOTS * 2;

interface Segment {
  offset: number;
  /** Bytes of the segment's text; then `count` line numbers (float64), starts and ends (int32), and the fields table (uint16). */
  textBytes: number;
  count: number;
}

export interface ReverseLineBufferOptions {
  /** Bytes of lines (plus ~100 per kept line for its table) held in memory before they are written to a temp file. */
  thresholdChars: number;
  /** Where the temp file goes (default: the OS temp folder). */
  tmpDir?: string | undefined;
}

/**
 * Collects lines in file order and gives them back last-first, which is the
 * legacy output order, without holding a multi-GB rd5000 in memory. Lines are
 * kept as bytes: a batch of input is copied in with `append` (one copy for all
 * its lines) and the lines to keep are then marked with `push`. Past a
 * threshold the bytes and their line table are appended to a temp file as one
 * segment. Replay walks the in-memory tail backwards, then reads the segments
 * back from last to first, one at a time, so memory stays at about two
 * thresholds whatever the file size. The temp folder is removed by `dispose`
 * (the engine calls it in a `finally`).
 */
export class ReverseLineBuffer {
  private bytes: Buffer = Buffer.alloc(0);
  private used = 0;
  private count = 0;
  private numbers = new Float64Array(256);
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  private fields = new Uint16Array(256 * FIELD_SLOTS);
  private readonly segments: Segment[] = [];
  private file: { dir: string; handle: FileHandle; size: number } | null = null;
  /**
   * One buffer for every segment written and read back: a buffer per segment
   * (~4 MB each) is memory outside the heap that V8 frees only when it next
   * collects, which on a 1 GB file left tens of MB of them waiting.
   */
  private scratch: Buffer = Buffer.alloc(0);

  constructor(private readonly options: ReverseLineBufferOptions) {}

  /** Copies `buf[start, end)` in; returns the offset that `buf[start]` now has for `push`. */
  append(buf: Buffer, start: number, end: number): number {
    const need = this.used + (end - start);
    if (need > this.bytes.length) {
      const more = takeBuffer(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(more, 0, 0, this.used);
      giveBack(this.bytes);
      this.bytes = more;
    }
    const at = this.used;
    buf.copy(this.bytes, at, start, end);
    this.used = need;
    return at - start;
  }

  /**
   * Keeps line `lineNumber`, `[start, end)` of what was appended (offsets as
   * `append` returned them). `columnEnds`: where its first `columns` columns
   * end (in the buffer `append` copied from, which starts the line at
   * `lineStart`), so the replay need not look for its commas again.
   */
  push(
    lineNumber: number,
    start: number,
    end: number,
    columnEnds?: Int32Array,
    columns = 0,
    lineStart = 0,
  ): void {
    const i = this.count;
    if (i === this.numbers.length) {
      const n = i * 2;
      this.numbers = grown(this.numbers, new Float64Array(n));
      this.starts = grown(this.starts, new Int32Array(n));
      this.ends = grown(this.ends, new Int32Array(n));
      this.fields = grown(this.fields, new Uint16Array(n * FIELD_SLOTS));
    }
    this.numbers[i] = lineNumber;
    this.starts[i] = start;
    this.ends[i] = end;
    const at = i * FIELD_SLOTS;
    if (columnEnds === undefined || end - start >= NO_FIELDS || columns >= FIELD_SLOTS)
      this.fields[at] = NO_FIELDS;
    else {
      this.fields[at] = columns;
      for (let k = 0; k < columns; k++) this.fields[at + 1 + k] = (columnEnds[k] as number) - lineStart;
    }
    this.count++;
  }

  /**
   * True once the bytes in memory (and the kept lines' table) passed the threshold:
   * the caller then awaits `spill()`. Appended lines that were not kept count
   * too, so a file of dropped lines never piles up.
   */
  get full(): boolean {
    return this.used + this.count * LINE_TABLE_BYTES >= this.options.thresholdChars;
  }

  get spilledBytes(): number {
    return this.file?.size ?? 0;
  }

  /** The lines kept so far to the temp file as one segment; what was appended but not kept is left behind. */
  async spill(): Promise<void> {
    if (this.count === 0) {
      this.used = 0;
      return;
    }
    const file = this.file ?? (this.file = await this.createFile());
    const { count } = this;
    // Only the kept lines' bytes, back to back (the table is rewritten to match).
    let textBytes = 0;
    for (let i = 0; i < count; i++) textBytes += (this.ends[i] as number) - (this.starts[i] as number) + 1;
    const tableAt = textBytes + count * 16;
    const size = tableAt + count * FIELD_SLOTS * 2;
    const out = this.scratchOf(size);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const s = this.starts[i] as number;
      const e = this.ends[i] as number;
      this.bytes.copy(out, at, s, e);
      out[at + e - s] = 0x0a;
      out.writeDoubleLE(this.numbers[i] as number, textBytes + i * 8);
      out.writeInt32LE(at, textBytes + count * 8 + i * 4);
      out.writeInt32LE(at + e - s, textBytes + count * 12 + i * 4);
      at += e - s + 1;
    }
    const fields = this.fields;
    for (let i = 0; i < count * FIELD_SLOTS; i++) out.writeUInt16LE(fields[i] as number, tableAt + i * 2);
    const segment = out.subarray(0, size);
    await writeFully(file.handle, segment, file.size);
    this.segments.push({ offset: file.size, textBytes, count });
    file.size += size;
    this.used = 0;
    this.count = 0;
  }

  /** Segments from the last pushed to the first; within a segment lines stay in file order. */
  async *segmentsLastFirst(): AsyncGenerator<LineSegment> {
    if (this.count > 0) {
      yield {
        bytes: this.bytes,
        count: this.count,
        numbers: this.numbers,
        starts: this.starts,
        ends: this.ends,
        fields: this.fields,
      };
    }
    if (this.file === null) return;
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const { offset, textBytes, count } = this.segments[s] as Segment;
      const tableAt = textBytes + count * 16;
      const size = tableAt + count * FIELD_SLOTS * 2;
      const bytes = this.scratchOf(size).subarray(0, size);
      await readFully(this.file.handle, bytes, offset);
      const numbers = new Float64Array(count);
      const starts = new Int32Array(count);
      const ends = new Int32Array(count);
      const fields = new Uint16Array(count * FIELD_SLOTS);
      for (let i = 0; i < count; i++) {
        numbers[i] = bytes.readDoubleLE(textBytes + i * 8);
        starts[i] = bytes.readInt32LE(textBytes + count * 8 + i * 4);
        ends[i] = bytes.readInt32LE(textBytes + count * 12 + i * 4);
      }
      for (let i = 0; i < count * FIELD_SLOTS; i++) fields[i] = bytes.readUInt16LE(tableAt + i * 2);
      yield { bytes, count, numbers, starts, ends, fields };
    }
  }

  async dispose(): Promise<void> {
    giveBack(this.bytes);
    giveBack(this.scratch);
    this.bytes = Buffer.alloc(0);
    this.scratch = Buffer.alloc(0);
    this.count = 0;
    this.used = 0;
    const file = this.file;
    this.file = null;
    if (file === null) return;
    await file.handle.close().catch(() => undefined);
    await rm(file.dir, { recursive: true, force: true });
  }

  /** The shared buffer, grown (with room to spare) when a segment needs more. */
  private scratchOf(bytes: number): Buffer {
    if (this.scratch.length < bytes) {
      giveBack(this.scratch);
      this.scratch = takeBuffer(Math.ceil(bytes * 1.25));
    }
    return this.scratch;
  }

  private async createFile(): Promise<{ dir: string; handle: FileHandle; size: number }> {
    const dir = await mkdtemp(join(this.options.tmpDir ?? tmpdir(), 'posflow-combine-'));
    try {
      return { dir, handle: await open(join(dir, 'rd5000.spill'), 'w+'), size: 0 };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
}

function grown<T extends Float64Array | Int32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

async function writeFully(handle: FileHandle, bytes: Buffer, offset: number): Promise<void> {
  // A short write is rare on a local file, but not ruled out: finish it.
  for (let done = 0; done < bytes.length; )
    done += (await handle.write(bytes, done, bytes.length - done, offset + done)).bytesWritten;
}

async function readFully(handle: FileHandle, into: Buffer, offset: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, offset + done);
    if (bytesRead === 0) throw new Error(`spill file ended early at byte ${offset + done}`);
    done += bytesRead;
  }
}
