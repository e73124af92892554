import type { Readable, Transform } from 'node:stream';
import { MongoServerError, type ObjectId } from 'mongodb';
import { FileRecordsRepository, type MonitorRepository } from '@posflow/dal';
import type { FileRecordDoc, PartitionKey } from '@posflow/contracts';
import type { ListedFile } from './domain/listed-files.js';
import { UpstreamError } from './domain/upstream-error.js';
import type { UpstreamPort } from './adapters/guarded-upstream.js';

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

export interface StoreRawFileDeps {
  upstream: UpstreamPort;
  rawFiles: RawFileStore;
  fileRecords: Pick<FileRecordsRepository, 'insertIfNew'>;
  monitor: Pick<MonitorRepository, 'record'>;
  now: () => Date;
}

export type StoreResult = 'stored' | 'unchanged';

/**
 * Streams one listed file from the upstream into GridFS and records it. The
 * FileRecord id is deterministic (partition, name, sha256): when the same
 * content is already recorded, the copy just uploaded is deleted, so a
 * re-fetch stores nothing new. A rejected body (HTML, error text, wrong
 * header) leaves a `file-rejected` monitor entry and is rethrown (transient).
 */
export async function storeRawFile(
  deps: StoreRawFileDeps,
  key: PartitionKey,
  file: ListedFile,
  signal: AbortSignal,
): Promise<StoreResult> {
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
    downloaded = await deps.upstream.download(
      file.path,
      file.type,
      ({ body, inspector }) => deps.rawFiles.upload(file.name, body, metadata, inspector),
      signal,
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
  const doc: FileRecordDoc = {
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
  if (await insertIfNew(deps.fileRecords, doc)) return 'stored';
  await deps.rawFiles.delete(stored.id);
  return 'unchanged';
}

async function insertIfNew(repo: StoreRawFileDeps['fileRecords'], doc: FileRecordDoc): Promise<boolean> {
  try {
    return await repo.insertIfNew(doc);
  } catch (err) {
    // Two fetches of one partition racing on the same upsert: the other one recorded it.
    if (err instanceof MongoServerError && err.code === 11000) return false;
    throw err;
  }
}
