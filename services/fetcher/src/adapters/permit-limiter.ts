import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { Collections } from '@posflow/contracts';

/** One held permit; `release` is idempotent. */
export interface Permit {
  release(): Promise<void>;
}

export interface Limiter {
  acquire(signal?: AbortSignal): Promise<Permit>;
}

interface PermitDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
  acquiredAt: Date;
}

export interface PermitLimiterOptions {
  /** Permit ids are `<name>:0..permits-1`. */
  name: string;
  /** The global cap: at most this many permits are held at once, across every process. */
  permits: number;
  /** A holder that stops renewing (killed replica) loses its permit after this long. */
  leaseMs: number;
  /** Shown in the permit documents (which replica holds them). */
  holderPrefix: string;
  pollMinMs?: number;
  pollMaxMs?: number;
}

/**
 * A counting semaphore in the database, shared by every fetcher replica.
 *
 * A permit is a document `{_id: 'upstream:<i>', holder, expiresAt}` that
 * exists only while held: acquiring inserts it, releasing deletes it. We rely
 * on the unique `_id` alone because FerretDB 1.x evaluates the filter of
 * `findOneAndUpdate`/`updateOne` and writes in separate steps, so two replicas
 * racing for one free permit could both "win" a conditional update (measured:
 * every round of 8 concurrent findOneAndUpdate had several winners), whereas a
 * duplicate insert always fails. Held permits are renewed every leaseMs/3; an
 * expired one (its holder died) is deleted by whoever finds it.
 * While none is free, waiters poll with jittered exponential backoff; a
 * release in this process wakes a local waiter at once.
 */
export class MongoPermitLimiter implements Limiter {
  private readonly col: Collection<PermitDoc>;
  private readonly ids: string[];
  private readonly wakers = new Set<() => void>();
  private readonly held = new Set<NodeJS.Timeout>();

  constructor(
    db: Db,
    private readonly opts: PermitLimiterOptions,
  ) {
    this.col = db.collection<PermitDoc>(Collections.limiter);
    this.ids = Array.from({ length: opts.permits }, (_, i) => `${opts.name}:${i}`);
  }

  async acquire(signal?: AbortSignal): Promise<Permit> {
    let delay = this.opts.pollMinMs ?? 10;
    const max = this.opts.pollMaxMs ?? 250;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const permit = await this.tryAcquire(attempt === 0);
      if (permit) return permit;
      await this.wait(delay / 2 + Math.random() * delay, signal);
      delay = Math.min(delay * 2, max);
    }
  }

  /** Stops renewing every held permit (shutdown); the leases then expire on their own. */
  close(): void {
    for (const t of this.held) clearInterval(t);
    this.held.clear();
  }

  private async tryAcquire(guessFirst: boolean): Promise<Permit | undefined> {
    // Fast path on the first try: one insert on a random slot, usually free below the cap (one
    // round trip, not two). A waiter that already found every permit taken reads first instead,
    // so its polls cost one round trip while the cap is reached.
    const guess = guessFirst ? this.ids[Math.floor(Math.random() * this.ids.length)] : undefined;
    const fast = guess === undefined ? undefined : await this.tryInsert(guess);
    if (fast) return fast;
    const now = Date.now();
    const taken = await this.col
      .find({ _id: { $in: this.ids } }, { projection: { holder: 1, expiresAt: 1 } })
      .toArray();
    const takenIds = new Set(taken.map((d) => d._id));
    const expired = taken.filter((d) => d.expiresAt.getTime() < now);
    // The holder is part of the filter, so a permit re-taken meanwhile by someone else is not deleted.
    for (const d of expired)
      await this.col.deleteOne({ _id: d._id, holder: d.holder, expiresAt: { $lt: new Date(now) } });
    const free = shuffle(
      this.ids.filter((id) => id !== guess && (!takenIds.has(id) || expired.some((d) => d._id === id))),
    );
    for (const id of free) {
      const permit = await this.tryInsert(id);
      if (permit) return permit;
    }
    return undefined;
  }

  /** Takes permit `id` if nobody holds it: the unique `_id` makes the insert the atomic step. */
  private async tryInsert(id: string): Promise<Permit | undefined> {
    const holder = `${this.opts.holderPrefix}:${randomUUID()}`;
    try {
      const at = new Date();
      await this.col.insertOne({
        _id: id,
        holder,
        acquiredAt: at,
        expiresAt: new Date(at.getTime() + this.opts.leaseMs),
      });
      return this.permit(id, holder);
    } catch (err) {
      if (err instanceof MongoServerError && err.code === 11000) return undefined;
      throw err;
    }
  }

  private permit(id: string, holder: string): Permit {
    const renew = setInterval(
      () => {
        this.col
          .updateOne({ _id: id, holder }, { $set: { expiresAt: new Date(Date.now() + this.opts.leaseMs) } })
          .catch(() => undefined);
      },
      Math.max(this.opts.leaseMs / 3, 50),
    );
    renew.unref();
    this.held.add(renew);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renew);
        this.held.delete(renew);
        try {
          await this.col.deleteOne({ _id: id, holder });
        } finally {
          const wake = this.wakers.values().next().value;
          wake?.();
        }
      },
    };
  }

  private async wait(ms: number, signal?: AbortSignal): Promise<void> {
    const local = new AbortController();
    const wake = () => local.abort();
    this.wakers.add(wake);
    try {
      await sleep(ms, undefined, { signal: signal ? AbortSignal.any([signal, local.signal]) : local.signal });
    } catch (err) {
      signal?.throwIfAborted();
      if (!local.signal.aborted) throw err;
    } finally {
      this.wakers.delete(wake);
    }
  }
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}
