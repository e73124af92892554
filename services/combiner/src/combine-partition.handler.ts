import { pipeline } from 'node:stream';
import {
  FILE_TYPES,
  partitionId,
  sourceHashOf,
  type CombineRequestedV1,
  type FileRecordDoc,
  type ImportRequestedV1,
  type PartitionKey,
  type PartitionStatus,
  type Stage,
} from '@posflow/contracts';
import type {
  DroppedRowsRepository,
  FileRecordsRepository,
  MonitorRepository,
  PartitionsRepository,
} from '@posflow/dal';
import {
  makeMessage,
  Outcomes,
  PermanentError,
  TransientError,
  type Handler,
  type HandlerContext,
  type Outcome,
} from '@posflow/runtime';
import type { Readable } from 'node:stream';
import type { ArtifactStore, StoredArtifact } from './adapters/artifact.store.js';
import type { CombineMetrics } from './adapters/combine.metrics.js';
import { DroppedRowsSink } from './adapters/dropped-rows.sink.js';
import { PoisonGuard } from './adapters/poison-guard.transform.js';
import type { ChooseFiles, CombineEnginePort, RawSource } from './domain/combine-engine.port.js';
import { DropSummary } from './domain/drop-summary.js';
import { PoisonFileError } from './domain/poison-file.js';

export interface Publisher {
  publish(stage: Stage, message: { id: string }): Promise<void>;
}

export interface RawFiles {
  download(gridfsId: string): Readable;
}

export interface CombinePartitionDeps<R> {
  partitions: Pick<PartitionsRepository, 'get' | 'transition' | 'claimGeneration'>;
  fileRecords: Pick<FileRecordsRepository, 'chosen' | 'forPartition' | 'markChosen'>;
  monitor: Pick<MonitorRepository, 'recordAbsolute' | 'list' | 'resolve'>;
  droppedRows: Pick<DroppedRowsRepository, 'insertBatch' | 'deleteOlderThan' | 'deleteGeneration'>;
  artifacts: Pick<ArtifactStore, 'write' | 'finish' | 'markPublished' | 'forRequest' | 'delete'>;
  rawFiles: RawFiles;
  engine: CombineEnginePort<R>;
  chooseFiles: ChooseFiles;
  /** The reference data snapshot for a new combine (reloads never change a running one). */
  reference: () => R;
  publisher: Publisher;
  metrics: CombineMetrics;
  tmpDir: string;
  droppedRowsBatch: number;
}

/** Statuses a combine may start from; `combining` is a redelivery after a crash (or a concurrent duplicate). */
export const COMBINABLE: readonly PartitionStatus[] = [
  'fetched',
  'loaded',
  'stale',
  'failed',
  'combined',
  'combining',
];

/** Marks resolved entries this combine no longer reports (a re-combine replaces the previous picture). */
const RESOLVED_BY = 'combiner:recombine';

/**
 * One partition per message: claim a new generation, stream the chosen raw
 * files through the engine into a parsed artifact, record what was dropped,
 * move the partition to `combined` and ask for its import. Only the run that
 * holds the partition's latest claimed generation may finish (compare-and-set
 * on `claimedGeneration`), and it publishes the ImportRequested of that
 * generation (one message id per generation). A redelivery of a finished
 * request claims nothing new: while the partition still waits in `combined`
 * it publishes that same import request again, so no hand-off depends on a
 * single message surviving. A poison file throws PoisonFileError
 * (permanent → dead-letter; combine-dead-letter.hook.ts marks the partition failed).
 */
export function createCombinePartitionHandler<R>(deps: CombinePartitionDeps<R>): Handler<'combine'> {
  return async (message: CombineRequestedV1, ctx: HandlerContext): Promise<Outcome> => {
    const { partition: key, jobId } = message.payload;
    const pid = partitionId(key);

    // A request seen before (redelivered after a broker outage, or a duplicate).
    const previous = await deps.artifacts.forRequest(message.id);
    if (previous && (await handOffAgain(previous, key, jobId, ctx))) return Outcomes.ack();

    const started = await deps.partitions.transition(key, COMBINABLE, 'combining', {}, {}, ['failure']);
    if (!started) return notCombinable(key, ctx);
    const generation = await deps.partitions.claimGeneration(key);
    const log = ctx.logger.child({ generation });

    const files = await chosenFiles(deps, key);
    const sourceHash = sourceHashOf(files);

    const summary = new DropSummary();
    const sink = new DroppedRowsSink(deps.droppedRows, key, generation, deps.droppedRowsBatch);
    let poison: PoisonFileError | undefined;
    const raw: RawSource[] = files.map((f) => ({
      type: f.type,
      name: f.name,
      open: () => {
        const guard = new PoisonGuard(f.name, f.type, (err) => (poison ??= err));
        return paced(
          pipeline(deps.rawFiles.download(f.gridfsId), guard, () => undefined),
          () => sink.backlog(),
        );
      },
    }));

    let artifact;
    try {
      const rows = deps.engine.combine({
        partition: key,
        sources: raw,
        reference: deps.reference(),
        tmpDir: deps.tmpDir,
        signal: ctx.signal,
        onDropped: (row) => {
          summary.add(row);
          sink.add(row);
        },
      });
      artifact = await deps.artifacts.write({ partitionId: pid, generation, requestId: message.id }, rows);
      await sink.close();
    } catch (err) {
      await sink.close().catch(() => undefined);
      await deps.droppedRows.deleteGeneration(key, generation).catch(() => undefined);
      if (poison) throw poison;
      if (err instanceof PoisonFileError) throw err;
      if (ctx.signal.aborted)
        throw new TransientError('combine interrupted by shutdown', 'shutdown', { cause: err });
      throw err;
    }
    await deps.artifacts.finish(artifact.id, { rows: artifact.rows, dropped: summary.total });

    const done = await deps.partitions.transition(
      key,
      ['combining'],
      'combined',
      { rowsDropped: summary.total, sourceHash },
      { claimedGeneration: generation },
    );
    if (!done) {
      // This run's output is not wanted: a newer claim (redelivery, recombine, re-fetch) owns the partition,
      // or our own claim was undone by a concurrent write (FerretDB 1.x rewrites whole documents).
      await deps.artifacts.delete(artifact.id);
      await deps.droppedRows.deleteGeneration(key, generation);
      const now = await deps.partitions.get(key);
      if ((now?.claimedGeneration ?? 0) <= generation)
        throw new TransientError('the combine claim was undone by a concurrent write', 'claim-lost');
      log.info({ artifactId: artifact.id }, 'combine superseded by a newer claim, output discarded');
      return Outcomes.ack();
    }
    await deps.droppedRows.deleteOlderThan(key, generation);
    await recordMonitor(deps, key, files, summary);

    const request = importRequest(
      key,
      jobId,
      { id: artifact.id, generation, rows: artifact.rows },
      summary.total,
      files,
    );
    await deps.publisher.publish('import', request);
    await deps.artifacts.markPublished(artifact.id);

    deps.metrics.rows.inc(artifact.rows);
    for (const s of summary.reasons()) deps.metrics.dropped.inc({ reason: s.reason }, s.count);
    log.info(
      {
        rows: artifact.rows,
        dropped: summary.total,
        artifactId: artifact.id,
        bytes: artifact.size,
        files: files.length,
      },
      'partition combined',
    );
    return Outcomes.ack();
  };

  /**
   * For a request whose combine ran before: while the partition still waits in
   * `combined` for that run's generation, its import request is published
   * again (the same message: the importer loads a generation once). The first
   * one may be gone, e.g. consumed by an import whose claim a concurrent write
   * undid. True when nothing else is left to do; false when the request must
   * be combined (its run never finished).
   */
  async function handOffAgain(
    previous: StoredArtifact,
    key: PartitionKey,
    jobId: string | undefined,
    ctx: HandlerContext,
  ): Promise<boolean> {
    const doc = await deps.partitions.get(key);
    if (doc?.status !== 'combined' || doc.claimedGeneration !== previous.generation) {
      if (previous.published)
        ctx.logger.info({ generation: previous.generation }, 'combine already done for this request');
      return previous.published;
    }
    const files = await chosenFiles(deps, key);
    await deps.publisher.publish('import', importRequest(key, jobId, previous, previous.dropped, files));
    if (!previous.published) await deps.artifacts.markPublished(previous.id);
    ctx.logger.info({ generation: previous.generation }, 'import requested again for a combine already done');
    return true;
  }

  async function notCombinable(key: PartitionKey, ctx: HandlerContext): Promise<Outcome> {
    const doc = await deps.partitions.get(key);
    if (!doc) throw new PermanentError(`partition ${partitionId(key)} does not exist`, 'unknown-partition');
    // An import of the previous generation is running: combine after it, or this request would be lost.
    if (doc.status === 'importing') throw new TransientError('partition is importing; combine later', 'busy');
    // pending/fetching: a fetch is under way and will ask for its own combine; empty: nothing to combine.
    ctx.logger.info({ status: doc.status }, 'combine skipped');
    return Outcomes.ack();
  }
}

/** The import request of a combined generation; one id per (partition, generation), so the importer can tell duplicates from new work. */
function importRequest(
  key: PartitionKey,
  jobId: string | undefined,
  artifact: { id: string; generation: number; rows: number },
  dropped: number,
  files: readonly FileRecordDoc[],
): ImportRequestedV1 {
  return makeMessage(
    'import.requested',
    1,
    {
      partition: key,
      ...(jobId ? { jobId } : {}),
      artifactId: artifact.id,
      generation: artifact.generation,
      rows: artifact.rows,
      dropped,
      sourceHash: sourceHashOf(files),
      sources: files.map((f) => ({ type: f.type, fileId: f.gridfsId, sha256: f.sha256 })),
    },
    `import:${partitionId(key)}:g${artifact.generation}`,
  );
}

/** The chosen file per type; when none is marked yet (e.g. an upload), chooses now with the engine's rule. */
async function chosenFiles<R>(deps: CombinePartitionDeps<R>, key: PartitionKey): Promise<FileRecordDoc[]> {
  const chosen = await deps.fileRecords.chosen(key);
  if (chosen.length > 0) return sortByType(chosen);
  const stored = (await deps.fileRecords.forPartition(key)).filter((f) => f.status !== 'rejected');
  const picked = deps.chooseFiles(stored);
  if (picked.length > 0)
    await deps.fileRecords.markChosen(
      key,
      picked.map((f) => f._id),
      picked.map((f) => f.type),
    );
  return sortByType(picked);
}

/** The raw bytes, waiting before each chunk until the dropped-rows writes have caught up. */
async function* paced(source: AsyncIterable<Buffer>, wait: () => Promise<void>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    await wait();
    yield chunk;
  }
}

function sortByType(files: FileRecordDoc[]): FileRecordDoc[] {
  return [...files].sort((a, b) => FILE_TYPES.indexOf(a.type) - FILE_TYPES.indexOf(b.type));
}

/** Monitor entries of this combine; entries of the previous combine it no longer reports are resolved. */
async function recordMonitor<R>(
  deps: CombinePartitionDeps<R>,
  key: PartitionKey,
  files: readonly FileRecordDoc[],
  summary: DropSummary,
): Promise<void> {
  const present = new Set(files.map((f) => f.type));
  const reported = new Set<string>();
  for (const type of FILE_TYPES) {
    if (present.has(type)) continue;
    reported.add(`missing-file-type:${type}`);
    const effect = type === 'rd5000' ? 'the partition has no rows' : 'its lookups come back empty';
    await deps.monitor.recordAbsolute({
      partition: key,
      kind: 'missing-file-type',
      key: type,
      detail: `no ${type} file for this partition: ${effect}`,
      count: 1,
    });
  }
  for (const s of summary.reasons()) {
    reported.add(`dropped-rows:${s.reason}`);
    await deps.monitor.recordAbsolute({
      partition: key,
      kind: 'dropped-rows',
      key: s.reason,
      detail: DropSummary.detail(s),
      samples: s.samples,
      count: s.count,
    });
  }
  const open = await deps.monitor.list({
    branch: key.branch,
    pos: key.pos,
    date: key.date,
    kind: { $in: ['dropped-rows', 'missing-file-type', 'partition-failed'] },
    resolved: false,
  });
  for (const entry of open) {
    if (entry.kind === 'partition-failed' && entry.key !== 'combine') continue;
    if (!reported.has(`${entry.kind}:${entry.key}`)) await deps.monitor.resolve(entry._id, RESOLVED_BY);
  }
}
