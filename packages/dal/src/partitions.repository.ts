import { MongoServerError, type Collection, type Db, type IndexDescription } from 'mongodb';
import { TransientError } from '@posflow/runtime';
import {
  Collections,
  PARTITION_TRANSITIONS,
  partitionId,
  type PartitionDoc,
  type PartitionKey,
  type PartitionStatus,
} from '@posflow/contracts';
import { RevisionClaims } from './revision-claims.js';

/** Statuses in which a partition is being worked on (do not enqueue it again). */
export const IN_FLIGHT: readonly PartitionStatus[] = [
  'fetching',
  'fetched',
  'combining',
  'combined',
  'importing',
];
/** Statuses that end a partition's run. */
export const TERMINAL: readonly PartitionStatus[] = ['loaded', 'empty', 'failed'];

export const partitionIndexes: IndexDescription[] = [
  { key: { branch: 1, pos: 1, date: 1 }, unique: true, name: 'partition_key' },
  { key: { date: 1, branch: 1 }, name: 'date_branch' },
  { key: { status: 1, updatedAt: 1 }, name: 'status_updated' },
  { key: { jobIds: 1 }, name: 'job_ids' },
];

/** The fields a partition starts with when it is first written: `pending`, zero counts, no jobs. */
export function newPartitionFields(key: PartitionKey, now: Date): Record<string, unknown> {
  return {
    branch: key.branch,
    pos: key.pos,
    date: key.date,
    status: 'pending',
    generation: 0,
    claimedGeneration: 0,
    files: 0,
    rowsLoaded: 0,
    rowsDropped: 0,
    jobIds: [],
    at: { pending: now },
    createdAt: now,
  };
}

/**
 * The upsert that registers a partition: a new one starts as `newPartitionFields`;
 * an existing one only gets the job added (and its `updatedAt` bumped).
 */
function registerUpdate(key: PartitionKey, jobId: string | undefined, now: Date): Record<string, unknown> {
  const { jobIds, ...fields } = newPartitionFields(key, now);
  const update: Record<string, unknown> = {
    $setOnInsert: jobId ? fields : { ...fields, jobIds },
    $set: { updatedAt: now },
  };
  if (jobId) update.$addToSet = { jobIds: jobId };
  return update;
}

/**
 * The partitions collection: one document per (branch, pos, date), the single
 * source of truth for progress. Every status move is a compare-and-set on the
 * expected previous status (and, where it matters, the generation), so a late
 * or duplicate message can never move a partition backwards or double-count.
 */
export class PartitionsRepository {
  readonly col: Collection<PartitionDoc>;

  private readonly claims: RevisionClaims;

  constructor(db: Db) {
    this.col = db.collection<PartitionDoc>(Collections.partitions);
    this.claims = new RevisionClaims(
      db.collection(Collections.partitionRevs),
      async (id) => (await this.col.findOne({ _id: id }, { projection: { rev: 1 } }))?.rev ?? 0,
      { label: 'partition' },
    );
  }

  get(key: PartitionKey): Promise<PartitionDoc | null> {
    return this.col.findOne({ _id: partitionId(key) });
  }

  getById(id: string): Promise<PartitionDoc | null> {
    return this.col.findOne({ _id: id });
  }

  /** Creates missing partitions as `pending` and records the job on all of them. */
  async register(keys: readonly PartitionKey[], jobId: string | undefined): Promise<void> {
    if (keys.length === 0) return;
    const now = new Date();
    const ops = keys.map((k) => ({
      updateOne: { filter: { _id: partitionId(k) }, update: registerUpdate(k, jobId, now), upsert: true },
    }));
    await this.col.bulkWrite(ops as never, { ordered: false });
  }

  /**
   * `register` for one partition that also returns it: one round trip
   * (an upsert that returns the document) instead of a write and a read.
   */
  async registerOne(key: PartitionKey, jobId: string | undefined): Promise<PartitionDoc> {
    const update = registerUpdate(key, jobId, new Date());
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.col.findOneAndUpdate({ _id: partitionId(key) }, update, {
          upsert: true,
          returnDocument: 'after',
        });
        if (doc) return doc;
      } catch (err) {
        // Two first upserts of one partition racing: the loser's retry is a plain update.
        if (!(err instanceof MongoServerError) || err.code !== 11000 || attempt > 0) throw err;
      }
      if (attempt > 0) throw new TransientError(`partition ${partitionId(key)} missing right after register`);
    }
  }

  /**
   * Moves a partition from one of `from` to `to`; returns the updated document,
   * or null when the partition was not in an expected status (a late or
   * duplicate message). `set` adds fields to the same update. `known` is the
   * partition as the caller last read or wrote it: when it is in one of `from`
   * (and there is no extraFilter) it saves the first read, and the revision
   * claim still catches a document that changed meanwhile (a stale `known`
   * loses the claim and is re-read).
   */
  async transition(
    key: PartitionKey,
    from: readonly PartitionStatus[],
    to: PartitionStatus,
    set: Partial<PartitionDoc> = {},
    extraFilter: Record<string, unknown> = {},
    unset: readonly string[] = [],
    known?: PartitionDoc,
  ): Promise<PartitionDoc | null> {
    const allowed = from.filter((f) => PARTITION_TRANSITIONS[f].includes(to));
    if (allowed.length === 0) throw new Error(`no allowed transition from [${from.join(',')}] to ${to}`);
    const hint =
      known && Object.keys(extraFilter).length === 0 && allowed.includes(known.status) ? known : undefined;
    return this.compareAndSet(
      key,
      { status: { $in: [...allowed] }, ...extraFilter },
      () => {
        const now = new Date();
        const update: Record<string, unknown> = {
          $set: { ...set, status: to, updatedAt: now, [`at.${to}`]: now },
        };
        if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((f) => [f, '']));
        return update;
      },
      hint,
    );
  }

  /** Hands out the next load generation to a combine run. */
  async claimGeneration(key: PartitionKey): Promise<number> {
    const doc = await this.compareAndSet(key, {}, (current) => ({
      $set: { claimedGeneration: current.claimedGeneration + 1, updatedAt: new Date() },
    }));
    if (!doc) throw new Error(`partition ${partitionId(key)} does not exist`);
    return doc.claimedGeneration;
  }

  /**
   * Applies `update` to the partition if it matches `filter`, as one guarded
   * step: the revision claim (`<partitionId>@<rev+1>` in `partitionrevs`, see
   * RevisionClaims) makes one writer per revision; a loser re-reads and
   * re-checks the filter. Claims are kept (not released): a stale `known`
   * document must lose its claim.
   */
  private async compareAndSet(
    key: PartitionKey,
    filter: Record<string, unknown>,
    update: (current: PartitionDoc) => Record<string, unknown>,
    known?: PartitionDoc,
  ): Promise<PartitionDoc | null> {
    const id = partitionId(key);
    return this.claims.run<PartitionDoc | null>(id, async (attempt) => {
      // A known document is only trusted for the first claim: `<id>@<rev+1>` exists once the
      // partition has moved past `rev`, so a stale one loses the claim and we re-read.
      const current = attempt === 0 && known ? known : await this.col.findOne({ _id: id, ...filter });
      if (!current) return { done: null };
      const rev = current.rev ?? 0;
      return {
        rev,
        // The claim makes us the only writer of this revision; one round trip writes and reads back.
        write: () => {
          const u = update(current);
          u.$set = { ...(u.$set as object), rev: rev + 1 };
          return this.col.findOneAndUpdate({ _id: id }, u, { returnDocument: 'after' });
        },
      };
    });
  }

  /** Records a failure; any non-terminal status (or stale) may fail. */
  markFailed(
    key: PartitionKey,
    stage: 'fetch' | 'combine' | 'import',
    reason: string,
    attempts: number,
  ): Promise<PartitionDoc | null> {
    return this.transition(
      key,
      ['pending', 'fetching', 'fetched', 'combining', 'combined', 'importing'],
      'failed',
      { failure: { stage, reason: reason.slice(0, 2000), attempts, at: new Date() } },
    );
  }

  find(filter: Record<string, unknown>, limit = 10_000): Promise<PartitionDoc[]> {
    return this.col.find(filter).sort({ date: 1, branch: 1, pos: 1 }).limit(limit).toArray();
  }

  /** Counts by status for a job's partitions ($group with $sum only: FerretDB 1.x-safe). */
  async countsForJob(jobId: string): Promise<Partial<Record<PartitionStatus, number>>> {
    const rows = await this.col
      .aggregate<{
        _id: PartitionStatus;
        n: number;
      }>([{ $match: { jobIds: jobId } }, { $group: { _id: '$status', n: { $sum: 1 } } }])
      .toArray();
    return Object.fromEntries(rows.map((r) => [r._id, r.n]));
  }
}
