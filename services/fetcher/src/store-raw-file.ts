import type { Readable, Transform } from 'node:stream';
import type { ObjectId } from 'mongodb';
import { FileRecordsRepository, type MonitorRepository } from '@posflow/dal';
import type { FileRecordDoc, PartitionKey } from '@posflow/contracts';
import type { ListedFile } from './domain/listed-files.js';
import { UpstreamError } from './domain/upstream-error.js';
import type { UpstreamSession } from './adapters/guarded-upstream.js';

/** The slice of FileStore (GridFS) this needs. */
export interface RawFileStore {
  upload(
    filename: string,
    source: Readable,
    metadata: Record<string, unknown>,
    inspect?: Transform,
  ): Promise<{ id: ObjectId; sha256: string; size: number }>;
  delete(id: ObjectId | string): Promise<void>;
}

export interface DownloadRawFileDeps {
  rawFiles: RawFileStore;
  monitor: Pick<MonitorRepository, 'record'>;
  now: () => Date;
}

export interface RecordRawFilesDeps {
  rawFiles: RawFileStore;
  fileRecords: Pick<FileRecordsRepository, 'insertManyIfNew'>;
}

/**
 * Streams one listed file from the upstream into GridFS and returns its
 * FileRecord, not yet written (`recordRawFiles` writes a partition's records
 * together). A rejected body (HTML, error text, wrong header) leaves a
 * `file-rejected` monitor entry and is rethrown (transient).
 */
export async function downloadRawFile(
  deps: DownloadRawFileDeps,
  upstream: UpstreamSession,
  key: PartitionKey,
  file: ListedFile,
): Promise<FileRecordDoc> {
  const metadata = {
    branch: key.branch,
    pos: key.pos,
    date: key.date,
    type: file.type,
    name: file.name,
    upstreamPath: file.path,
  };
  let downloaded;
  try {
    downloaded = await upstream.download(file.path, file.type, ({ body, inspector }) =>
      deps.rawFiles.upload(file.name, body, metadata, inspector),
    );
  } catch (err) {
    if (
      err instanceof UpstreamError &&
      (err.error === 'html' || err.error === 'error-text' || err.error === 'invalid-header')
    ) {
      await deps.monitor.record({
        partition: key,
        kind: 'file-rejected',
        key: file.name,
        detail: err.message,
      });
    }
    throw err;
  }
  const stored = downloaded.value;
  return {
    _id: FileRecordsRepository.idFor(key, file.name, stored.sha256),
    branch: key.branch,
    pos: key.pos,
    date: key.date,
    type: file.type,
    upstreamPath: file.path,
    name: file.name,
    sendTime: file.sendTime,
    size: stored.size,
    dataRows: downloaded.dataRows,
    sha256: stored.sha256,
    gridfsId: stored.id.toHexString(),
    source: 'upstream',
    fetchedAt: deps.now(),
    status: 'stored',
  };
}

/**
 * Records a partition's downloaded files in one write. The FileRecord id is
 * deterministic (partition, name, sha256): when the same content is already
 * recorded, the copy just uploaded is deleted, so a re-fetch stores nothing
 * new. Returns how many records were new.
 */
export async function recordRawFiles(
  deps: RecordRawFilesDeps,
  docs: readonly FileRecordDoc[],
): Promise<number> {
  const fresh = await deps.fileRecords.insertManyIfNew(docs);
  let stored = 0;
  for (const [i, doc] of docs.entries()) {
    if (fresh[i]) stored += 1;
    else await deps.rawFiles.delete(doc.gridfsId);
  }
  return stored;
}
