import { UpstreamError } from './domain/upstream-error.js';
import {
  makeMessage,
  Outcomes,
  TransientError,
  type Handler,
  type HandlerContext,
  type Outcome,
} from '@posflow/runtime';
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
  type PartitionDoc,
  type PartitionKey,
  type PartitionStatus,
  type Stage,
} from '@posflow/contracts';
import { chooseFiles, missingTypes } from './domain/choose-files.js';
import { selectListedFiles } from './domain/listed-files.js';
import type { UpstreamPort } from './adapters/guarded-upstream.js';
import { storeRawFile, type RawFileStore } from './store-raw-file.js';

export interface Publisher {
  publish(stage: Stage, message: { id: string }): Promise<void>;
}

export interface FetchPartitionDeps {
  partitions: Pick<PartitionsRepository, 'register' | 'get' | 'transition'>;
  jobs: Pick<JobsRepository, 'refresh'>;
  fileRecords: Pick<FileRecordsRepository, 'insertIfNew' | 'forPartition' | 'markChosen'>;
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
    await deps.partitions.register([key], jobId);
    const before = await deps.partitions.get(key);
    if (!before) throw new TransientError('partition missing right after register');

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
    if (!(await deps.partitions.transition(key, from, 'fetching'))) {
      ctx.logger.info({ status: before.status }, 'partition moved meanwhile, fetch skipped');
      return Outcomes.ack();
    }

    const answer = await deps.upstream.list(key, ctx.signal);
    const { files, problems } =
      answer.kind === 'files' ? selectListedFiles(key, answer.paths) : { files: [], problems: [] };
    for (const p of problems)
      await deps.monitor.record({ partition: key, kind: p.kind, key: p.name, detail: p.detail });
    if (files.length === 0) return finishEmpty(key, problems.length, ctx);

    let stored = 0;
    for (const file of files) {
      if ((await storeRawFile({ ...deps, now }, key, file, ctx.signal)) === 'stored') stored += 1;
    }
    const { reason, chosen } = await chooseAndCheck(key, before);
    if (reason === 'unchanged') return finishUnchanged(key, chosen, stored, ctx);
    const moved = await deps.partitions.transition(key, ['fetching'], 'fetched', { files: chosen }, {}, [
      'failure',
    ]);
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

  /** Marks the chosen file per type and tells whether the source changed since the last load. */
  async function chooseAndCheck(
    key: PartitionKey,
    before: PartitionDoc,
  ): Promise<{ reason: CombineReason | 'unchanged'; chosen: number }> {
    const records = (await deps.fileRecords.forPartition(key)).filter((r) => r.status !== 'rejected');
    const chosen = chooseFiles(records);
    await deps.fileRecords.markChosen(
      key,
      [...chosen.values()].map((r) => r._id),
      [...chosen.keys()],
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

  async function finishUnchanged(
    key: PartitionKey,
    chosen: number,
    stored: number,
    ctx: HandlerContext,
  ): Promise<Outcome> {
    const moved = await deps.partitions.transition(key, ['fetching'], 'loaded', { files: chosen }, {}, [
      'failure',
    ]);
    for (const id of moved?.jobIds ?? []) await deps.jobs.refresh(id);
    ctx.logger.info({ stored }, 'partition unchanged since its load, nothing to combine');
    return Outcomes.ack();
  }

  async function finishEmpty(key: PartitionKey, unrecognised: number, ctx: HandlerContext): Promise<Outcome> {
    const moved = await deps.partitions.transition(key, ['fetching'], 'empty', { files: 0 }, {}, ['failure']);
    for (const id of moved?.jobIds ?? []) await deps.jobs.refresh(id);
    ctx.logger.info({ unrecognised }, 'partition empty');
    return Outcomes.ack();
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
