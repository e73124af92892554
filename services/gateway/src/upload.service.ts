import type { Readable } from 'node:stream';
import {
  parseExportFileName,
  partitionId,
  type ExportFileName,
  type FileRecordDoc,
  type PartitionKey,
  type UploadResult,
} from '@posflow/contracts';
import { FileRecordsRepository, type PartitionsRepository, type PartitionViewsRepository } from '@posflow/dal';
import type { FileStore } from '@posflow/runtime';
import { UploadInspector, UploadRejected } from './adapters/upload-inspector.transform.js';
import type { BranchScope } from './auth/branch-scope.js';
import type { EnqueueService } from './enqueue.service.js';

export type StoredUpload = UploadResult['files'][number] & { recordId: string; parsed: ExportFileName };
export type UploadOutcome = { ok: true; file: StoredUpload } | { ok: false; name: string; problem: string };

const BUSY = new Set(['fetching', 'combining', 'combined', 'importing']);

/**
 * Operator uploads of a day's exports for a store that could not send them:
 * each file is validated by name and header while it streams into GridFS,
 * recorded as a FileRecord (`source: upload`), and the partitions are then
 * combined and imported as an `upload` job.
 */
export class UploadService {
  constructor(
    private readonly deps: {
      rawFiles: FileStore;
      fileRecords: FileRecordsRepository;
      partitions: PartitionsRepository;
      partitionViews: PartitionViewsRepository;
      enqueue: EnqueueService;
      branches: readonly string[];
      now: () => Date;
    },
  ) {}

  /** Streams one part into GridFS. Never throws for a bad file: the problem is returned (the part is drained). */
  async store(name: string, source: Readable, scope: BranchScope): Promise<UploadOutcome> {
    const parsed = parseExportFileName(name);
    const reject = (problem: string): UploadOutcome => {
      source.resume();
      return { ok: false, name, problem };
    };
    if (!parsed) return reject('file name is not <prefix>_<BRANCH>_<POS>_<TYPE>_<DATE>_<HH-MM>_.csv');
    if (!this.deps.branches.includes(parsed.branch)) return reject(`unknown branch ${parsed.branch}`);
    if (!scope.allows(parsed.branch)) return reject(`this key may not upload for branch ${parsed.branch}`);
    const key: PartitionKey = { branch: parsed.branch, pos: parsed.pos, date: parsed.date };
    const inspector = new UploadInspector(parsed.type);
    let stored;
    try {
      stored = await this.deps.rawFiles.upload(
        name,
        source,
        { partition: partitionId(key), type: parsed.type, source: 'upload' },
        inspector,
      );
    } catch (err) {
      source.resume();
      if (err instanceof UploadRejected) return { ok: false, name, problem: err.message };
      throw err;
    }
    const recordId = FileRecordsRepository.idFor(key, name, stored.sha256);
    const doc: FileRecordDoc = {
      _id: recordId,
      ...key,
      type: parsed.type,
      upstreamPath: name,
      name,
      sendTime: parsed.sendTime,
      size: stored.size,
      dataRows: inspector.dataRows,
      sha256: stored.sha256,
      gridfsId: stored.id.toHexString(),
      source: 'upload',
      fetchedAt: this.deps.now(),
      status: 'stored',
    };
    let gridfsId = doc.gridfsId;
    const fresh = await this.deps.fileRecords.insertIfNew(doc);
    if (!fresh) {
      // Same name and content already stored: keep the first copy only.
      await this.deps.rawFiles.delete(stored.id);
      gridfsId = (await this.deps.fileRecords.get(recordId))?.gridfsId ?? gridfsId;
    }
    return {
      ok: true,
      file: {
        name,
        partition: partitionId(key),
        type: parsed.type,
        fileId: gridfsId,
        sha256: stored.sha256,
        size: stored.size,
        dataRows: inspector.dataRows,
        duplicate: !fresh,
        recordId,
        parsed,
      },
    };
  }

  /** Removes what a rejected request stored (the request is all-or-nothing). */
  async discard(files: readonly StoredUpload[]): Promise<void> {
    for (const f of files) {
      if (f.duplicate) continue;
      await this.deps.fileRecords.col.deleteOne({ _id: f.recordId, status: 'stored' });
      await this.deps.rawFiles.delete(f.fileId).catch(() => undefined);
    }
  }

  /** Partitions among `files` that are being worked on right now (an upload must wait for them). */
  async busyPartitions(files: readonly StoredUpload[]): Promise<string[]> {
    const ids = [...new Set(files.map((f) => f.partition))];
    return (await this.deps.partitionViews.byIds(ids)).filter((p) => BUSY.has(p.status)).map((p) => p._id);
  }

  /**
   * The uploaded files become the chosen ones for their types (the operator's
   * choice beats the duplicate rule), each partition is brought to `fetched`
   * and its combine requested under an `upload` job.
   */
  async submit(files: readonly StoredUpload[], createdBy: string): Promise<UploadResult> {
    const byPartition = new Map<string, { key: PartitionKey; files: StoredUpload[] }>();
    for (const f of files) {
      const key = { branch: f.parsed.branch, pos: f.parsed.pos, date: f.parsed.date };
      const entry = byPartition.get(f.partition) ?? { key, files: [] };
      entry.files.push(f);
      byPartition.set(f.partition, entry);
    }
    const keys = [...byPartition.values()].map((e) => e.key);
    const job = await this.deps.enqueue.createJob('upload', { files: files.map((f) => f.name) }, keys, createdBy);
    const loaded: PartitionKey[] = [];
    const others: PartitionKey[] = [];
    for (const { key, files: fs } of byPartition.values()) {
      await this.deps.fileRecords.markChosen(
        key,
        fs.map((f) => f.recordId),
        fs.map((f) => f.parsed.type),
      );
      const chosen = (await this.deps.fileRecords.chosen(key)).length;
      const p = this.deps.partitions;
      await p.transition(key, ['failed'], 'pending', {}, {}, ['failure']);
      if (await p.transition(key, ['pending', 'empty'], 'fetching')) await p.transition(key, ['fetching'], 'fetched', { files: chosen });
      const status = (await p.get(key))?.status;
      (status === 'loaded' ? loaded : others).push(key);
    }
    await this.deps.enqueue.publishCombine(others, loaded, job._id, 'upload');
    return {
      jobId: job._id,
      files: files.map(({ recordId: _r, parsed: _p, ...f }) => f),
      partitions: keys.map(partitionId),
    };
  }
}
