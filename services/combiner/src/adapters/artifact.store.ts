import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { ObjectId, type Db } from 'mongodb';
import { Collections, type ParsedRow } from '@posflow/contracts';
import { FileStore } from '@posflow/runtime';

export interface ArtifactMeta {
  partitionId: string;
  generation: number;
  /** The combine message it was built for: lets a redelivery see that its work is already done. */
  requestId: string;
}

export interface WrittenArtifact {
  id: string;
  rows: number;
  size: number;
  sha256: string;
}

export interface StoredArtifact {
  id: string;
  generation: number;
  rows: number;
  dropped: number;
  published: boolean;
}

/** Rows per chunk handed to gzip: fewer, bigger writes (one JSON line is ~1 kB). */
const LINES_PER_CHUNK = 64;

/**
 * The parsed artifacts in GridFS (`artifacts` bucket): gzip NDJSON, one
 * ParsedRow per line in legacy output order, `<partitionId>.g<g>.ndjson.gz`.
 * Written as a stream (memory does not grow with the partition); FileStore
 * deletes a partial file when the rows or the upload fail.
 */
export class ArtifactStore {
  private readonly files: FileStore;

  constructor(private readonly db: Db) {
    this.files = new FileStore(db, Collections.artifactBucket);
  }

  static filename(partitionId: string, generation: number): string {
    return `${partitionId}.g${generation}.ndjson.gz`;
  }

  async write(meta: ArtifactMeta, rows: AsyncIterable<ParsedRow>): Promise<WrittenArtifact> {
    const counter = { rows: 0 };
    const source = Readable.from(ndjson(rows, counter), { objectMode: false });
    // Counts (rows, dropped) are only known at the end: they are set on the
    // files document by `finish`, before anyone is told about the artifact.
    const stored = await this.files.upload(
      ArtifactStore.filename(meta.partitionId, meta.generation),
      source,
      { ...meta, rows: null, dropped: null, published: false },
      // FileStore hashes and counts what follows this transform: the gzip bytes as stored.
      createGzip(),
    );
    return { id: stored.id.toHexString(), rows: counter.rows, size: stored.size, sha256: stored.sha256 };
  }

  /** Records the final counts on a written artifact. */
  async finish(id: string, counts: { rows: number; dropped: number }): Promise<void> {
    await this.filesCol().updateOne(
      { _id: new ObjectId(id) },
      { $set: { 'metadata.rows': counts.rows, 'metadata.dropped': counts.dropped } },
    );
  }

  /** Marks the artifact as handed to the importer (its ImportRequested was confirmed by the broker). */
  async markPublished(id: string): Promise<void> {
    await this.filesCol().updateOne({ _id: new ObjectId(id) }, { $set: { 'metadata.published': true } });
  }

  /** The complete artifact built for a combine message, if any (newest first). */
  async forRequest(requestId: string): Promise<StoredArtifact | null> {
    const doc = await this.filesCol().findOne(
      { 'metadata.requestId': requestId },
      { sort: { 'metadata.generation': -1 } },
    );
    if (!doc) return null;
    const m = doc.metadata ?? {};
    return {
      id: doc._id.toHexString(),
      generation: Number(m.generation),
      rows: Number(m.rows ?? 0),
      dropped: Number(m.dropped ?? 0),
      published: m.published === true,
    };
  }

  delete(id: string): Promise<void> {
    return this.files.delete(id);
  }

  download(id: string): Readable {
    return this.files.download(id);
  }

  private filesCol() {
    return this.db.collection<{ _id: ObjectId; metadata?: Record<string, unknown> }>(
      `${Collections.artifactBucket}.files`,
    );
  }
}

async function* ndjson(rows: AsyncIterable<ParsedRow>, counter: { rows: number }): AsyncGenerator<Buffer> {
  let lines: string[] = [];
  for await (const row of rows) {
    lines.push(JSON.stringify(row));
    counter.rows++;
    if (lines.length >= LINES_PER_CHUNK) {
      yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      lines = [];
    }
  }
  if (lines.length > 0) yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
