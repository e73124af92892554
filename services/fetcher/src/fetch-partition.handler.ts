import { UpstreamError } from './domain/upstream-error.js';
import { makeMessage, Outcomes, type Handler, type HandlerContext, type Outcome } from '@posflow/runtime';
import type {
  FileRecordsRepository,
  JobsRepository,
  MonitorRepository,
  PartitionsRepository,
} from '@posflow/dal';
import {
  sourceHashOf,
  type CombineReason,
  type FetchRequestedV1,
  type FileRecordDoc,
  type PartitionDoc,
  type PartitionKey,
  type PartitionStatus,
  type Stage,
} from '@posflow/contracts';
import { chooseFiles, missingTypes } from './domain/choose-files.js';
import { selectListedFiles } from './domain/listed-files.js';
import type { UpstreamPort } from './adapters/guarded-upstream.js';
import { downloadRawFile, recordRawFiles, type RawFileStore } from './store-raw-file.js';

export interface Publisher {
  publish(stage: Stage, message: { id: string }): Promise<void>;
}

export interface FetchPartitionDeps {
  partitions: Pick<PartitionsRepository, 'registerOne' | 'transition'>;
  jobs: Pick<JobsRepository, 'refresh'>;
  fileRecords: Pick<FileRecordsRepository, 'insertManyIfNew' | 'forPartition' | 'markChosenAmong'>;
  monitor: Pick<MonitorRepository, 'record'>;
  upstream: UpstreamPort;
  rawFiles: RawFileStore;
  publisher: Publisher;
  now?: () => Date;
}

/** Statuses a fetch may start from; `fetching` is our own retry or a redelivery after a crash. */
const FETCHABLE: readonly PartitionStatus[] = ['pending', 'failed', 'empty', 'stale', 'fetching'];

type Start = 'fetch' | 'skip-loaded' | 'skip-busy' | 'republish';

/** What a fetch request does, given where the partition is. */
export function decideStart(status: PartitionStatus, force: boolean): Start {
  if (status === 'loaded') return force ? 'fetch' : 'skip-loaded';
  // Fetched but the combine request may not have gone out (crash between the DB write and the publish).
  if (status === 'fetched') return 'republish';
  if (FETCHABLE.includes(status)) return 'fetch';
  return 'skip-busy';
}

/**
 * One partition per message: list, download every listed file into GridFS,
 * choose one file per type, move the partition to `fetched` and ask for its
 * combine. Upstream failures throw UpstreamError (transient: the consumer
 * retries later, then dead-letters; see fetch-dead-letter.hook.ts). Every step
 * is idempotent, so a redelivered message converges on the same state.
 */
export function createFetchPartitionHandler(deps: FetchPartitionDeps): Handler<'fetch'> {
  const now = deps.now ?? (() => new Date());

  return async (message: FetchRequestedV1, ctx: HandlerContext): Promise<Outcome> => {
    try {
      return await fetchPartition(message, ctx);
    } catch (err) {
      // Shutdown gave up waiting and aborted us: not the message's fault, never a dead letter.
      if (ctx.signal.aborted) return Outcomes.retry('aborted by shutdown');
      // Operators see every upstream failure (one entry per partition and failure kind, counted), not only the final one.
      if (err instanceof UpstreamError) {
        await deps.monitor
          .record({
            partition: message.payload.partition,
            kind: 'upstream-error',
            key: `${err.request}:${err.error}`,
            detail: err.message,
          })
          .catch((e: unknown) => ctx.logger.warn({ err: e }, 'could not record upstream error'));
      }
      throw err;
    }
  };

  async function fetchPartition(message: FetchRequestedV1, ctx: HandlerContext): Promise<Outcome> {
    const { partition: key, jobId, force } = message.payload;
    // A redelivered or retried request (the gateway registered it already) writes nothing.
    const before = await deps.partitions.registerOne(key, jobId);

    const start = decideStart(before.status, force);
    if (start === 'skip-loaded' || start === 'skip-busy') {
      ctx.logger.info({ status: before.status, force }, 'fetch skipped');
      return Outcomes.ack();
    }
    if (start === 'republish') {
      await publishCombine(message, key, 'fetched');
      return Outcomes.ack();
    }
    const from: PartitionStatus[] = force ? [...FETCHABLE, 'loaded'] : [...FETCHABLE];
    const fetching = await deps.partitions.transition(key, from, 'fetching', {}, {}, [], before);
    if (!fetching) {
      ctx.logger.info({ status: before.status }, 'partition moved meanwhile, fetch skipped');
      return Outcomes.ack();
    }

    const { files, problems, records } = await download(key, ctx);
    for (const p of problems)
      await deps.monitor.record({ partition: key, kind: p.kind, key: p.name, detail: p.detail });
    if (files.length === 0) {
      await finishWithoutCombine(key, 'empty', 0, fetching);
      ctx.logger.info({ unrecognised: problems.length }, 'partition empty');
      return Outcomes.ack();
    }

    const stored = await recordRawFiles(deps, records);
    const { reason, chosen } = await chooseAndCheck(key, before);
    if (reason === 'unchanged') {
      await finishWithoutCombine(key, 'loaded', chosen, fetching);
      ctx.logger.info({ stored }, 'partition unchanged since its load, nothing to combine');
      return Outcomes.ack();
    }
    const moved = await leaveFetching(key, 'fetched', chosen, fetching);
    if (!moved) {
      ctx.logger.warn({}, 'partition left fetching meanwhile, combine not requested');
      return Outcomes.ack();
    }
    await publishCombine(message, key, reason);
    ctx.logger.info(
      { listed: files.length, stored, unchanged: files.length - stored, reason },
      'partition fetched',
    );
    return Outcomes.ack();
  }

  /**
   * The list and every download, one after the other under one upstream
   * session (one global permit for the lot). The files' records are written
   * once the permit is given back, also when a download failed: what was
   * stored stays recorded, so a retry finds it and stores no second copy.
   */
  async function download(
    key: PartitionKey,
    ctx: HandlerContext,
  ): Promise<ReturnType<typeof selectListedFiles> & { records: FileRecordDoc[] }> {
    const records: FileRecordDoc[] = [];
    const session = deps.upstream.session(ctx.signal);
    let failed = false;
    try {
      const answer = await session.list(key);
      const listed =
        answer.kind === 'files' ? selectListedFiles(key, answer.paths) : { files: [], problems: [] };
      for (const file of listed.files)
        records.push(await downloadRawFile({ ...deps, now }, session, key, file));
      return { ...listed, records };
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      await session.close();
      if (failed && records.length > 0)
        await recordRawFiles(deps, records).catch((e: unknown) =>
          ctx.logger.warn({ err: e }, 'could not record the files stored before the failure'),
        );
    }
  }

  /** Marks the chosen file per type and tells whether the source changed since the last load. */
  async function chooseAndCheck(
    key: PartitionKey,
    before: PartitionDoc,
  ): Promise<{ reason: CombineReason | 'unchanged'; chosen: number }> {
    const records = (await deps.fileRecords.forPartition(key)).filter((r) => r.status !== 'rejected');
    const chosen = chooseFiles(records);
    await deps.fileRecords.markChosenAmong(
      records,
      [...chosen.values()].map((r) => r._id),
    );
    for (const type of missingTypes(chosen)) {
      await deps.monitor.record({
        partition: key,
        kind: 'missing-file-type',
        key: type,
        detail: `no ${type} file was sent`,
      });
    }
    const sourceHash = sourceHashOf([...chosen.values()]);
    if (before.generation > 0 && before.sourceHash !== undefined && before.sourceHash !== sourceHash) {
      await deps.monitor.record({
        partition: key,
        kind: 'source-changed',
        key: 'source',
        detail: `source hash ${before.sourceHash.slice(0, 12)} → ${sourceHash.slice(0, 12)}`,
      });
      return { reason: 'changed', chosen: chosen.size };
    }
    // Loaded from exactly these files already: a re-fetch (forced, or a daily re-scan) changes nothing.
    if (before.generation > 0 && before.sourceHash === sourceHash)
      return { reason: 'unchanged', chosen: chosen.size };
    return { reason: 'fetched', chosen: chosen.size };
  }

  /** Moves the partition out of `fetching` with its chosen file count (clearing any last failure). */
  function leaveFetching(
    key: PartitionKey,
    to: 'fetched' | 'loaded' | 'empty',
    files: number,
    fetching: PartitionDoc,
  ): Promise<PartitionDoc | null> {
    return deps.partitions.transition(key, ['fetching'], to, { files }, {}, ['failure'], fetching);
  }

  /** Ends a fetch that needs no combine (no files, or the files already loaded) and refreshes its jobs. */
  async function finishWithoutCombine(
    key: PartitionKey,
    to: 'loaded' | 'empty',
    files: number,
    fetching: PartitionDoc,
  ): Promise<void> {
    const moved = await leaveFetching(key, to, files, fetching);
    for (const id of moved?.jobIds ?? []) await deps.jobs.refresh(id);
  }

  /** The id derives from the fetch message's, so a redelivery publishes the same logical message. */
  async function publishCombine(
    message: FetchRequestedV1,
    key: PartitionKey,
    reason: CombineReason,
  ): Promise<void> {
    const combine = makeMessage(
      'combine.requested',
      1,
      { partition: key, ...(message.payload.jobId ? { jobId: message.payload.jobId } : {}), reason },
      `${message.id}:combine`,
    );
    await deps.publisher.publish('combine', combine);
  }
}
