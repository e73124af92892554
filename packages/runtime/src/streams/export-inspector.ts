import { Transform, type TransformCallback } from 'node:stream';

const NL = 0x0a;
const CR = 0x0d;
/** Bytes held back at most before the header is judged (a header line is far shorter). */
export const EXPORT_HEAD_BYTES = 4096;

export interface ExportInspectorOptions {
  /**
   * Judges the head of the file: the text up to the first newline or
   * EXPORT_HEAD_BYTES (the whole body when shorter). An error fails the
   * stream before any byte passes on; null lets it through.
   */
  checkHead: (head: string) => Error | null;
  /** Bytes the sender announced (Content-Length); a body of another size fails at the end. */
  expectedBytes?: number | undefined;
  truncated?: (got: number, expected: number) => Error;
  onBytes?: (n: number) => void;
}

/**
 * Between a POS export's bytes (an HTTP body, an uploaded part) and GridFS:
 * holds back the first bytes until the header can be judged, then passes
 * chunks straight through (memory stays bounded whatever the file size),
 * counting bytes and non-blank lines. Used by the fetcher for downloads and
 * the gateway for operator uploads, so both count and check the same way.
 */
export class ExportInspector extends Transform {
  bytes = 0;
  private lines = 0;
  private lineHasContent = false;
  private head: Buffer[] | undefined = [];
  private headBytes = 0;

  constructor(private readonly options: ExportInspectorOptions) {
    super();
  }

  /** Lines after the header that carry something (blank lines are not rows). */
  get dataRows(): number {
    return Math.max(this.lines + (this.lineHasContent ? 1 : 0) - 1, 0);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.options.onBytes?.(chunk.length);
    this.countLines(chunk);
    if (this.head === undefined) return cb(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < EXPORT_HEAD_BYTES && !chunk.includes(NL)) return cb();
    this.releaseHead(cb);
  }

  override _flush(cb: TransformCallback): void {
    const expected = this.options.expectedBytes;
    if (expected !== undefined && this.bytes !== expected) {
      const err =
        this.options.truncated?.(this.bytes, expected) ?? new Error(`got ${this.bytes} of ${expected} bytes`);
      return cb(err);
    }
    if (this.head !== undefined) return this.releaseHead(cb);
    cb();
  }

  private releaseHead(cb: TransformCallback): void {
    const head = Buffer.concat(this.head ?? []);
    this.head = undefined;
    const problem = this.options.checkHead(head.subarray(0, EXPORT_HEAD_BYTES).toString('utf8'));
    if (problem) return cb(problem);
    cb(null, head);
  }

  // One indexOf per line rather than a JS step per byte: big files stay cheap to scan.
  private countLines(chunk: Buffer): void {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (end - pos > 1 || (end - pos === 1 && chunk[pos] !== CR)) this.lineHasContent = true;
      if (nl === -1) return;
      if (this.lineHasContent) this.lines += 1;
      this.lineHasContent = false;
      pos = nl + 1;
    }
  }
}
