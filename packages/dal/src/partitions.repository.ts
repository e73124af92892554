import { type Collection, type Db, type IndexDescription, type MongoBulkWriteError } from 'mongodb';
import { TransientError } from '@posflow/runtime';
import {
  Collections,
  PARTITION_TRANSITIONS,
  partitionId,
  type PartitionDoc,
  type PartitionKey,
  type PartitionStatus,
} from '@posflow/contracts';
import { duplicateKeyCount } from './duplicate-keys.js';
import { RevisionClaims } from './revision-claims.js';

/** Partitions of one registration that get a job added at once (each a revision-claimed write). */
const ADD_JOB_CONCURRENCY = 8;

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

  /**
   * Creates missing partitions as `pending` and records the job on all of
   * them. New partitions are inserted (a duplicate key means another writer
   * created it first); an existing one gets the job through the revision
   * claim like every other write: on FerretDB 1.x an unguarded update
   * rewrites the whole document and can undo a transition another stage
   * makes at the same moment. A partition already holding the job is not
   * written at all.
   */
  async register(keys: readonly PartitionKey[], jobId: string | undefined): Promise<void> {
    if (keys.length === 0) return;
    const existing = await this.insertMissing(keys, jobId);
    if (!jobId || existing.length === 0) return;
    const docs = await this.col.find({ _id: { $in: existing } }).toArray();
    const todo = docs.filter((d) => !(d.jobIds ?? []).includes(jobId));
    for (let i = 0; i < todo.length; i += ADD_JOB_CONCURRENCY)
      await Promise.all(todo.slice(i, i + ADD_JOB_CONCURRENCY).map((d) => this.addJob(d, jobId)));
  }

  /** `register` for one partition, returning it. */
  async registerOne(key: PartitionKey, jobId: string | undefined): Promise<PartitionDoc> {
    const id = partitionId(key);
    let doc = await this.col.findOne({ _id: id });
    if (!doc) {
      await this.insertMissing([key], jobId);
      doc = await this.col.findOne({ _id: id });
      if (!doc) throw new TransientError(`partition ${id} missing right after register`);
    }
    if (!jobId || (doc.jobIds ?? []).includes(jobId)) return doc;
    return this.addJob(doc, jobId);
  }

  /**
   * Marks a day the store was closed (`knownEmpty`), creating the partition
   * when it was never requested; a partition holding loaded rows is not
   * marked (null).
   */
  async markKnownEmpty(key: PartitionKey): Promise<PartitionDoc | null> {
    await this.insertMissing([key], undefined);
    return this.compareAndSet(key, { status: { $ne: 'loaded' } }, () => ({
      $set: { knownEmpty: true, updatedAt: new Date() },
    }));
  }

  /** Inserts the partitions that do not exist yet (with the job); returns the ids that already existed. */
  private async insertMissing(keys: readonly PartitionKey[], jobId: string | undefined): Promise<string[]> {
    const now = new Date();
    const docs = keys.map((k) => ({
      ...newPartitionFields(k, now),
      _id: partitionId(k),
      jobIds: jobId ? [jobId] : [],
      updatedAt: now,
    })) as unknown as PartitionDoc[];
    try {
      await this.col.insertMany(docs, { ordered: false });
      return [];
    } catch (err) {
      if (duplicateKeyCount(err) === null) throw err;
      // Every rejected document was a duplicate key: those partitions exist.
      const rejected = [(err as MongoBulkWriteError).writeErrors].flat() as unknown as { index: number }[];
      return rejected.map((e) => docs[e.index]?._id).filter((id): id is string => id !== undefined);
    }
  }

  /** Adds a job to an existing partition, through the revision claim (`known`: as last read). */
  private async addJob(known: PartitionDoc, jobId: string): Promise<PartitionDoc> {
    const doc = await this.compareAndSet(
      known,
      {},
      () => ({ $addToSet: { jobIds: jobId }, $set: { updatedAt: new Date() } }),
      known,
    );
    if (!doc) throw new TransientError(`partition ${known._id} vanished while adding job ${jobId}`);
    return doc;
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
