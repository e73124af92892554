import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, ObjectId, type Db, type Document } from 'mongodb';

export interface StoredFile {
  id: ObjectId;
  sha256: string;
  size: number;
}

/** A pass-through that hashes and counts what flows through it. */
export class HashingCounter extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(
    chunk: Buffer,
    _enc: BufferEncoding,
    cb: (err?: Error | null, data?: Buffer) => void,
  ): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** GridFSBucket helpers (not gridfs-stream: it needs the GridStore API removed in driver 4). */
export class FileStore {
  readonly bucket: GridFSBucket;

  constructor(
    private readonly db: Db,
    readonly bucketName: string,
    chunkSizeBytes = 255 * 1024,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName, chunkSizeBytes });
  }

  /**
   * Streams `source` into a new GridFS file, hashing (sha256) and counting on
   * the way. If the source or the upload fails, the partial file is deleted
   * and the error rethrown: no half-written file is ever left behind.
   * `inspect` sees every chunk (e.g. to validate a header) and may throw.
   */
  async upload(
    filename: string,
    source: Readable | AsyncIterable<Buffer>,
    metadata: Document,
    inspect?: Transform,
  ): Promise<StoredFile> {
    const id = new ObjectId();
    const counter = new HashingCounter();
    const upload = this.bucket.openUploadStreamWithId(id, filename, { metadata });
    try {
      if (inspect) await pipeline(source, inspect, counter, upload);
      else await pipeline(source, counter, upload);
    } catch (err) {
      await this.delete(id);
      throw err;
    }
    return { id, sha256: counter.digest(), size: counter.bytes };
  }

  download(id: ObjectId | string): Readable {
    return this.bucket.openDownloadStream(typeof id === 'string' ? new ObjectId(id) : id);
  }

  async delete(id: ObjectId | string): Promise<void> {
    const oid = typeof id === 'string' ? new ObjectId(id) : id;
    try {
      await this.bucket.delete(oid);
    } catch {
      // The files document may not exist yet (upload failed before finishing): remove stray chunks.
      await this.db.collection(`${this.bucketName}.chunks`).deleteMany({ files_id: oid });
    }
  }

  async exists(id: ObjectId | string): Promise<boolean> {
    const oid = typeof id === 'string' ? new ObjectId(id) : id;
    return (await this.bucket.find({ _id: oid }).limit(1).toArray()).length > 0;
  }
}
