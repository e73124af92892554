import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Lines in file order; `numbers[i]` is the 1-based line number of `texts[i]`. */
export interface LineSegment {
  numbers: number[];
  texts: string[];
}

interface Segment {
  offset: number;
  textBytes: number;
  count: number;
}

export interface ReverseLineBufferOptions {
  /** Characters held in memory before they are written to a temp file. */
  thresholdChars: number;
  /** Where the temp file goes (default: the OS temp folder). */
  tmpDir?: string | undefined;
}

/**
 * Collects lines in file order and gives them back last-first, which is the
 * legacy output order, without holding a multi-GB rd5000 in memory: lines are
 * kept in memory up to a threshold, then each full batch is appended to a temp
 * file as one segment. Replay walks the in-memory tail backwards, then reads
 * the segments back from last to first, one at a time, so memory stays at
 * about two thresholds whatever the file size. The temp folder is removed by
 * `dispose` (the engine calls it in a `finally`).
 */
export class ReverseLineBuffer {
  private numbers: number[] = [];
  private texts: string[] = [];
  private chars = 0;
  private readonly segments: Segment[] = [];
  private file: { dir: string; handle: FileHandle; size: number } | null = null;
  /**
   * One buffer for every segment written and read back: a buffer per segment
   * (~4 MB each) is memory outside the heap that V8 frees only when it next
   * collects, which on a 1 GB file left tens of MB of them waiting.
   */
  private scratch = Buffer.alloc(0);

  constructor(private readonly options: ReverseLineBufferOptions) {}

  push(lineNumber: number, text: string): void {
    this.numbers.push(lineNumber);
    this.texts.push(text);
    this.chars += text.length + 8;
  }

  /** True once the in-memory lines passed the threshold: the caller then awaits `spill()`. */
  get full(): boolean {
    return this.chars >= this.options.thresholdChars;
  }

  get spilledBytes(): number {
    return this.file?.size ?? 0;
  }

  async spill(): Promise<void> {
    if (this.texts.length === 0) return;
    const file = this.file ?? (this.file = await this.createFile());
    // A segment is the lines joined by `\n` (input lines never contain one), then their numbers as float64s.
    const joined = this.texts.join('\n');
    const count = this.numbers.length;
    const bytes = this.scratchOf(Buffer.byteLength(joined, 'utf8') + count * 8);
    const textBytes = bytes.write(joined, 0, 'utf8');
    for (let i = 0; i < count; i++) bytes.writeDoubleLE(this.numbers[i] as number, textBytes + i * 8);
    const segment = bytes.subarray(0, textBytes + count * 8);
    await writeFully(file.handle, [segment], file.size);
    this.segments.push({ offset: file.size, textBytes, count });
    file.size += segment.length;
    this.numbers = [];
    this.texts = [];
    this.chars = 0;
  }

  /** Segments from the last pushed to the first; within a segment lines stay in file order. */
  async *segmentsLastFirst(): AsyncGenerator<LineSegment> {
    if (this.texts.length > 0) yield { numbers: this.numbers, texts: this.texts };
    if (this.file === null) return;
    for (let s = this.segments.length - 1; s >= 0; s--) {
      const { offset, textBytes, count } = this.segments[s] as Segment;
      const bytes = this.scratchOf(textBytes + count * 8).subarray(0, textBytes + count * 8);
      await readFully(this.file.handle, bytes, offset);
      const texts = bytes.toString('utf8', 0, textBytes).split('\n');
      const numbers = new Array<number>(count);
      for (let i = 0; i < count; i++) numbers[i] = bytes.readDoubleLE(textBytes + i * 8);
      yield { numbers, texts };
    }
  }

  async dispose(): Promise<void> {
    this.numbers = [];
    this.texts = [];
    this.scratch = Buffer.alloc(0);
    const file = this.file;
    this.file = null;
    if (file === null) return;
    await file.handle.close().catch(() => undefined);
    await rm(file.dir, { recursive: true, force: true });
  }

  /** The shared buffer, grown (with room to spare) when a segment needs more. */
  private scratchOf(bytes: number): Buffer {
    if (this.scratch.length < bytes) this.scratch = Buffer.allocUnsafe(Math.ceil(bytes * 1.25));
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

async function writeFully(handle: FileHandle, buffers: Buffer[], offset: number): Promise<void> {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const { bytesWritten } = await handle.writev(buffers, offset);
  // A short write is rare on a local file, but not ruled out: finish it.
  if (bytesWritten < total) {
    const rest = Buffer.concat(buffers).subarray(bytesWritten);
    for (let done = 0; done < rest.length; )
      done += (await handle.write(rest, done, rest.length - done, offset + bytesWritten + done)).bytesWritten;
  }
}

async function readFully(handle: FileHandle, into: Buffer, offset: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, offset + done);
    if (bytesRead === 0) throw new Error(`spill file ended early at byte ${offset + done}`);
    done += bytesRead;
  }
}
