import {
  partitionId,
  type ImportRequestedV1,
  type PartitionDoc,
  type PartitionStatus,
  type TransactionDoc,
} from '@posflow/contracts';
import type {
  JobsRepository,
  PartitionsRepository,
  RollupsRepository,
  SalesSummariesWriter,
  TransactionsRepository,
} from '@posflow/dal';
import {
  Outcomes,
  PermanentError,
  TransientError,
  type HandlerContext,
  type Logger,
  type Outcome,
} from '@posflow/runtime';
import type { ArtifactSource } from './adapters/artifact-store.js';
import { artifactRows } from './domain/artifact-rows.js';
import { RollupAccumulator } from './domain/rollup-accumulator.js';
import { pgOf, toTransactionDoc } from './domain/transaction-doc.js';
import type { ImportMetrics } from './import-metrics.js';

export interface ImportDeps {
  partitions: Pick<PartitionsRepository, 'get' | 'transition'>;
  jobs: Pick<JobsRepository, 'refresh'>;
  transactions: Pick<TransactionsRepository, 'insertBatch' | 'deleteGeneration'>;
  rollups: Pick<RollupsRepository, 'insertMany' | 'deleteGeneration'>;
  summaries: Pick<SalesSummariesWriter, 'insertGeneration' | 'deleteGeneration' | 'markMonthDirty'>;
  artifacts: ArtifactSource;
  metrics: ImportMetrics;
  batchSize: number;
}

type Payload = ImportRequestedV1['payload'];

/** Where a partition waits for the import of its claimed generation. */
const WAITING: readonly PartitionStatus[] = ['combined', 'importing'];

/**
 * Loads one partition generation (ImportRequested):
 * 1. claim: CAS `combined → importing` (or `importing` again on redelivery);
 *    a generation at or below the current one is a late duplicate;
 * 2. stream the artifact, validate each row, insert rows in unordered batches
 *    with deterministic ids (a redelivery re-inserts, duplicates are ignored)
 *    while summing the rollups;
 * 3. insert the rollups and their packed summaries, then CAS `importing → loaded` with `generation: g`
 *    (only if the current generation is older): from here readers see g;
 * 4. delete the older generations' rows, rollups and artifacts; mark the
 *    branch's month summary for its rebuild; refresh jobs.
 * Rows of g are invisible until step 3, and g-1 stays whole until after it.
 */
export function createImportHandler(deps: ImportDeps) {
  return async function handleImport(message: ImportRequestedV1, ctx: HandlerContext): Promise<Outcome> {
    const p = message.payload;
    const key = p.partition;
    const g = p.generation;
    const log = ctx.logger.child({ generation: g });
    const current = await deps.partitions.get(key);
    if (!current) throw new PermanentError(`partition ${partitionId(key)} does not exist`);
    if (g <= current.generation) {
      // Late duplicate (e.g. the ack of a finished load was lost): only the idempotent tail remains.
      if (g === current.generation) await finish(deps, current, g, p.jobId, log);
      log.info({ current: current.generation }, 'import skipped: generation already loaded');
      return Outcomes.ack();
    }
    const claimed = await deps.partitions.transition(
      key,
      ['combined', 'importing'],
      'importing',
      {},
      {
        claimedGeneration: g,
      },
    );
    if (!claimed) {
      const now = await deps.partitions.get(key);
      if (now?.status === 'combining' && now.claimedGeneration === g)
        throw new TransientError('partition not yet marked combined by the combiner');
      log.info(
        { status: now?.status, claimed: now?.claimedGeneration },
        'import skipped: superseded or not ready',
      );
      return Outcomes.ack();
    }
    if (!(await deps.artifacts.exists(p.artifactId)))
      throw new PermanentError(`artifact ${p.artifactId} not found`);

    const rows = await writeRows(deps, p, ctx, log);
    if (rows !== p.rows)
      throw new PermanentError(`row count mismatch: artifact has ${rows} rows, message says ${p.rows}`);

    const loaded = await deps.partitions.transition(
      key,
      ['importing'],
      'loaded',
      { generation: g, rowsLoaded: rows, rowsDropped: p.dropped, sourceHash: p.sourceHash },
      { generation: { $lt: g } },
      ['failure'],
    );
    const after = loaded ?? (await deps.partitions.get(key));
    if (after && after.generation < g && after.claimedGeneration === g && WAITING.includes(after.status)) {
      // Our `importing` claim was overwritten (FerretDB 1.x writes whole documents, so a concurrent
      // write outside the revision claim can put the partition back to `combined`). It still waits
      // for g: keep the rows and try again, or this import request would be the one that is lost.
      throw new TransientError('the import claim was undone by a concurrent write', 'claim-lost');
    }
    if (!after || after.generation !== g) {
      // Someone else moved the partition on: our generation will never be read.
      await deleteGeneration(deps, pgOf(partitionId(key), g));
      log.warn({ status: after?.status, current: after?.generation }, 'import discarded: partition moved on');
      return Outcomes.ack();
    }
    if (loaded) deps.metrics.partitionsLoaded.inc();
    await finish(deps, after, g, p.jobId, log);
    log.info({ rows, dropped: p.dropped }, 'partition loaded');
    return Outcomes.ack();
  };
}

/** Streams the artifact into `transactions` and its sums into `rollups`; returns the row count. */
async function writeRows(deps: ImportDeps, p: Payload, ctx: HandlerContext, log: Logger): Promise<number> {
  const pid = partitionId(p.partition);
  const acc = new RollupAccumulator(p.partition, p.generation);
  let batch: TransactionDoc[] = [];
  let count = 0;
  let duplicates = 0;
  // One batch is written while the next is parsed: at most two batches in memory.
  let inFlight: Promise<void> = Promise.resolve();
  const write = async (docs: TransactionDoc[]) => {
    const end = deps.metrics.batchSeconds.startTimer();
    const r = await deps.transactions.insertBatch(docs);
    end();
    deps.metrics.rows.inc(r.inserted);
    duplicates += r.duplicates;
  };
  const flush = async () => {
    await inFlight;
    if (ctx.signal.aborted) throw new TransientError('shutting down');
    inFlight = write(batch);
    inFlight.catch(() => undefined); // awaited (and thrown) at the next flush or at the end
    batch = [];
  };
  for await (const { n, row } of artifactRows(deps.artifacts.open(p.artifactId))) {
    if (row.branch !== p.partition.branch || row.pos !== p.partition.pos || row.date !== p.partition.date)
      throw new PermanentError(
        `artifact line ${n} belongs to ${row.branch}_${row.pos}_${row.date}, not ${pid}`,
      );
    batch.push(toTransactionDoc(row, pid, p.generation));
    acc.add(row);
    count++;
    if (batch.length >= deps.batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  await inFlight;
  const rollups = acc.docs();
  await deps.rollups.insertMany(rollups);
  await deps.summaries.insertGeneration(p.partition, p.generation, rollups);
  if (duplicates > 0) log.info({ duplicates }, 'rows already written by an earlier attempt');
  return count;
}

async function deleteGeneration(deps: ImportDeps, pg: string): Promise<void> {
  await deps.transactions.deleteGeneration(pg);
  await deps.rollups.deleteGeneration(pg);
  await deps.summaries.deleteGeneration(pg);
}

/** Idempotent tail of a load: drop older generations (rows, rollups, artifacts), settle the jobs. */
async function finish(
  deps: ImportDeps,
  p: PartitionDoc,
  g: number,
  jobId: string | undefined,
  log: Logger,
): Promise<void> {
  let removed = 0;
  for (let old = g - 1; old >= 1; old--) {
    const pg = pgOf(p._id, old);
    removed += await deps.transactions.deleteGeneration(pg);
    await deps.rollups.deleteGeneration(pg);
    await deps.summaries.deleteGeneration(pg);
  }
  // Reports read whole months from the month summaries: this one is rebuilt by the importers' rebuild loop.
  await deps.summaries.markMonthDirty(p.branch, p.date.slice(0, 7), pgOf(p._id, g));
  const artifacts = await deps.artifacts.deleteOlder(p._id, g);
  if (removed > 0 || artifacts > 0) log.info({ removed, artifacts }, 'older generations removed');
  // `jobIds` can be absent (FerretDB 1.24 drops an empty array from $setOnInsert).
  for (const id of new Set([...(p.jobIds ?? []), ...(jobId ? [jobId] : [])])) await deps.jobs.refresh(id);
}
