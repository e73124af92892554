import type { Collection, Db } from 'mongodb';
import { Collections } from '@posflow/contracts';
import type { CircuitBreaker } from '../domain/circuit-breaker.js';

interface BreakerDoc {
  _id: string;
  openUntil: Date;
  openedBy: string;
}

/**
 * Shares "the breaker is open until T" across replicas through one document
 * in the limiter collection: a replica that trips writes it, the others read
 * it (at most every `refreshMs`) and follow while they are closed. Each
 * replica still makes its own half-open trial. Last writer wins, which is
 * all this needs (no compare-and-set).
 */
export class SharedBreakerStore {
  private readonly col: Collection<BreakerDoc>;
  private readonly id: string;
  private lastRead = 0;

  constructor(
    db: Db,
    name: string,
    private readonly replica: string,
    private readonly refreshMs = 1_000,
  ) {
    this.col = db.collection<BreakerDoc>(Collections.limiter);
    this.id = `breaker:${name}`;
  }

  /** Called when this replica's breaker opens. */
  async publishOpen(until: number): Promise<void> {
    await this.col.updateOne(
      { _id: this.id },
      { $set: { openUntil: new Date(until), openedBy: this.replica } },
      { upsert: true },
    );
  }

  /** Applies another replica's open state to `breaker` (cheap: reads at most every refreshMs). */
  async sync(breaker: CircuitBreaker): Promise<void> {
    const now = Date.now();
    if (now - this.lastRead < this.refreshMs) return;
    this.lastRead = now;
    const doc = await this.col.findOne({ _id: this.id });
    if (doc && doc.openUntil.getTime() > now) breaker.forceOpenUntil(doc.openUntil.getTime());
  }
}
