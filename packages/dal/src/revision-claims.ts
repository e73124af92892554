import { MongoServerError, type Collection } from 'mongodb';
import { TransientError } from '@posflow/runtime';

/** A claim of one revision of one guarded document: `_id` `<id>@<rev>`. */
export interface RevisionClaimDoc {
  _id: string;
  at: Date;
}

/** One attempt's outcome: a final answer without a write, or the revision it read and the write to do once rev + 1 is ours. */
export type ClaimStep<T> = { done: T } | { rev: number; write: () => Promise<T> };

/** A claim whose holder died before writing is taken back after this long. */
export const STALE_CLAIM_MS = 10_000;

/**
 * Guarded read-modify-write steps on one document at a time. FerretDB 1.x
 * does not make conditional updates atomic (two racing updates with the same
 * filter can both win), so a step first claims the next revision by inserting
 * `<id>@<rev+1>`: an insert on a unique `_id` has exactly one winner on every
 * backend. A loser takes back a stale claim (its holder died), backs off and
 * reads again; the caller's `step` decides afresh each attempt.
 *
 * `releasePrevious` deletes the claim of the revision before after a write,
 * so the claims stay one per document; a writer that read an old revision
 * could then win a claim that was released, so with it the revision is read
 * again after claiming and a moved one means another attempt.
 */
export class RevisionClaims {
  constructor(
    private readonly claims: Collection<RevisionClaimDoc>,
    /** The guarded document's last revision written (0 when it has none or does not exist). */
    private readonly revOf: (id: string) => Promise<number>,
    private readonly opts: { label: string; releasePrevious?: boolean; staleMs?: number },
  ) {}

  async run<T>(id: string, step: (attempt: number) => Promise<ClaimStep<T>>): Promise<T> {
    const staleMs = this.opts.staleMs ?? STALE_CLAIM_MS;
    const deadline = Date.now() + staleMs + 5_000;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const s = await step(attempt);
      if ('done' in s) return s.done;
      const claim = `${id}@${s.rev + 1}`;
      if (await this.tryClaim(claim)) {
        if (this.opts.releasePrevious && (await this.revOf(id)) !== s.rev) continue;
        const out = await s.write();
        if (this.opts.releasePrevious)
          await this.claims.deleteOne({ _id: `${id}@${s.rev}` }).catch(() => undefined);
        return out;
      }
      await this.reclaimIfStale(id, s.rev, claim, staleMs);
      await new Promise((r) => setTimeout(r, Math.min(5 + Math.random() * 20 * (attempt + 1), 500)));
    }
    throw new TransientError(`${this.opts.label} ${id}: could not claim a revision (contention)`);
  }

  private async tryClaim(claim: string): Promise<boolean> {
    try {
      await this.claims.insertOne({ _id: claim, at: new Date() });
      return true;
    } catch (err) {
      if (!(err instanceof MongoServerError) || err.code !== 11000) throw err;
      return false;
    }
  }

  /** A claim older than `staleMs` on a document still at `rev` belongs to a holder that died: delete it. */
  private async reclaimIfStale(id: string, rev: number, claim: string, staleMs: number): Promise<void> {
    const lock = await this.claims.findOne({ _id: claim });
    if (!lock || Date.now() - lock.at.getTime() < staleMs) return;
    if ((await this.revOf(id)) === rev) await this.claims.deleteOne({ _id: claim, at: lock.at });
  }
}
