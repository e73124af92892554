import { Transform, type TransformCallback } from 'node:stream';
import type { FileType } from '@posflow/contracts';
import { HEAD_BYTES, PoisonFileError, headProblem } from '../domain/poison-file.js';

/**
 * Sits between a raw file's GridFS download and the engine: checks the head
 * (HTML, wrong header, not text) before the first byte reaches the engine,
 * and every chunk for NUL bytes. Fails the stream with a PoisonFileError,
 * which the engine passes up to the handler. `onPoison` sees the error even
 * if the engine wraps it in its own.
 */
export class PoisonGuard extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private decided = false;

  constructor(
    private readonly file: string,
    private readonly type: FileType,
    private readonly onPoison: (err: PoisonFileError) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.decided) {
      if (chunk.includes(0)) return cb(this.poison('contains NUL bytes (binary data, not CSV text)'));
      return cb(null, chunk);
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    const all = Buffer.concat(this.head);
    const nl = all.indexOf(0x0a);
    if (nl < 0 && this.headBytes < HEAD_BYTES) return cb();
    this.release(all, nl, cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.decided) return cb();
    this.release(Buffer.concat(this.head), -1, cb);
  }

  private release(all: Buffer, nl: number, cb: TransformCallback): void {
    this.decided = true;
    this.head = [];
    const headEnd = nl >= 0 ? nl : Math.min(all.length, HEAD_BYTES);
    const problem =
      headProblem(this.type, all.subarray(0, headEnd)) ??
      (all.includes(0) ? 'contains NUL bytes (binary data, not CSV text)' : null);
    if (problem) return cb(this.poison(problem));
    cb(null, all);
  }

  private poison(problem: string): PoisonFileError {
    const err = new PoisonFileError(this.file, this.type, problem);
    this.onPoison(err);
    return err;
  }
}
