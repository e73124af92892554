import { Transform, type TransformCallback } from 'node:stream';
import { exportHeaderProblem, type FileType } from '@posflow/contracts';

const NL = 0x0a;
const CR = 0x0d;
const HEAD_BYTES = 4096;

export class UploadRejected extends Error {
  override name = 'UploadRejected';
}

/**
 * Between an uploaded part and GridFS: holds back the first line until the
 * header can be checked against the export type its name claims, then passes
 * chunks through, counting non-blank data rows (the same count the fetcher
 * keeps, used to choose among duplicates).
 */
export class UploadInspector extends Transform {
  private lines = 0;
  private lineHasContent = false;
  private head: Buffer[] | undefined = [];
  private headBytes = 0;

  constructor(private readonly type: FileType) {
    super();
  }

  get dataRows(): number {
    return Math.max(this.lines + (this.lineHasContent ? 1 : 0) - 1, 0);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.countLines(chunk);
    if (this.head === undefined) return cb(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < HEAD_BYTES && !chunk.includes(NL)) return cb();
    this.releaseHead(cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.head !== undefined) return this.releaseHead(cb);
    cb();
  }

  private releaseHead(cb: TransformCallback): void {
    const head = Buffer.concat(this.head ?? []);
    this.head = undefined;
    const text = head.subarray(0, HEAD_BYTES).toString('utf8');
    const problem = exportHeaderProblem(this.type, text.split('\n', 1)[0] ?? '');
    if (problem) return cb(new UploadRejected(problem));
    cb(null, head);
  }

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
