import type { Readable } from 'node:stream';
import type { Db } from 'mongodb';
import { Collections } from '@posflow/contracts';
import { FileStore } from '@posflow/runtime';

/** What the importer needs of the parsed-artifact bucket. */
export interface ArtifactSource {
  exists(id: string): Promise<boolean>;
  open(id: string): Readable;
  /** Deletes the partition's artifacts of generations below `generation` (superseded). */
  deleteOlder(partitionId: string, generation: number): Promise<number>;
}

/** The combiner's file name for a generation's artifact. */
export const artifactName = (partitionId: string, generation: number) =>
  `${partitionId}.g${generation}.ndjson.gz`;

/** GridFS bucket `artifacts` (written by the combiner). */
export class GridFsArtifactSource implements ArtifactSource {
  private readonly store: FileStore;

  constructor(db: Db) {
    this.store = new FileStore(db, Collections.artifactBucket);
  }

  exists(id: string): Promise<boolean> {
    return this.store.exists(id);
  }

  open(id: string): Readable {
    return this.store.download(id);
  }

  async deleteOlder(partitionId: string, generation: number): Promise<number> {
    // By file name (the driver indexes files by filename), one generation at a time.
    const names = Array.from({ length: generation - 1 }, (_, i) => artifactName(partitionId, i + 1));
    let deleted = 0;
    for (let i = 0; i < names.length; i += 100) {
      const files = await this.store.bucket
        .find({ filename: { $in: names.slice(i, i + 100) } }, { projection: { _id: 1 } })
        .toArray();
      for (const f of files) {
        await this.store.delete(f._id);
        deleted++;
      }
    }
    return deleted;
  }
}
