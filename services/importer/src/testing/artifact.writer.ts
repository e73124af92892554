import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Db } from 'mongodb';
import { Collections, partitionId, type ParsedRow, type PartitionKey } from '@posflow/contracts';
import { FileStore } from '@posflow/runtime';
import { artifactName } from '../adapters/artifact-store.js';

/**
 * Writes a parsed artifact the way the combiner does: gzip NDJSON into the
 * `artifacts` bucket, named `<partitionId>.g<g>.ndjson.gz`, metadata
 * {partitionId, generation}. `lines` may be rows or raw text (to plant a bad line).
 */
export async function writeArtifact(
  db: Db,
  key: PartitionKey,
  generation: number,
  lines: Iterable<ParsedRow | string>,
): Promise<{ id: string; rows: number }> {
  let rows = 0;
  const text = Readable.from(
    (function* () {
      let buf = '';
      for (const l of lines) {
        rows++;
        buf += (typeof l === 'string' ? l : JSON.stringify(l)) + '\n';
        if (buf.length > 64 * 1024) {
          yield Buffer.from(buf);
          buf = '';
        }
      }
      if (buf) yield Buffer.from(buf);
    })(),
  );
  const pid = partitionId(key);
  const store = new FileStore(db, Collections.artifactBucket);
  const stored = await store.upload(artifactName(pid, generation), text.pipe(createGzip()), {
    partitionId: pid,
    generation,
  });
  return { id: stored.id.toHexString(), rows };
}
