import { Transform, type TransformCallback } from 'node:stream';
import type { FileType } from '@posflow/contracts';
import { HEAD_BYTES, checkExportHead } from '../domain/export-headers.js';
import { UpstreamError } from '../domain/upstream-error.js';

const NL = 0x0a;
const CR = 0x0d;

/**
 * Sits between the HTTP body and GridFS (FileStore.upload's `inspect`): holds
 * back the first bytes until the header line can be checked, then passes
 * chunks straight through (memory stays bounded whatever the file size),
 * counting bytes and non-blank lines. At the end it compares the byte count
 * with Content-Length, so a silently truncated body is an error, not a file.
 */
export class ExportInspector extends Transform {
  bytes = 0;
  private lines = 0;
  private lineHasContent = false;
  private head: Buffer[] | undefined = [];
  private headBytes = 0;

  constructor(
    private readonly type: FileType,
    private readonly expectedBytes: number | undefined,
    private readonly onBytes: (n: number) => void = () => undefined,
  ) {
    super();
  }

  /** Lines after the header that carry something (blank lines are not rows). */
  get dataRows(): number {
    return Math.max(this.lines + (this.lineHasContent ? 1 : 0) - 1, 0);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes(chunk.length);
    this.countLines(chunk);
    if (this.head === undefined) return cb(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < HEAD_BYTES && !chunk.includes(NL)) return cb();
    this.releaseHead(cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.expectedBytes !== undefined && this.bytes !== this.expectedBytes) {
      return cb(
        new UpstreamError('download', 'truncated', `got ${this.bytes} of ${this.expectedBytes} bytes`),
      );
    }
    if (this.head !== undefined) return this.releaseHead(cb);
    cb();
  }

  private releaseHead(cb: TransformCallback): void {
    const head = Buffer.concat(this.head ?? []);
    this.head = undefined;
    const verdict = checkExportHead(this.type, head.subarray(0, HEAD_BYTES).toString('utf8'));
    if (!verdict.ok) return cb(new UpstreamError('download', verdict.error, verdict.detail));
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
