import type { DroppedRow, PartitionKey } from '@posflow/contracts';
import type { DroppedRowsRepository } from '@posflow/dal';

/** Batches written or being written before the reader is asked to wait. */
const MAX_QUEUED_BATCHES = 2;

/**
 * Writes one combine's dropped rows to the droppedrows collection in batches
 * while the combine runs. The engine reports drops synchronously, so the
 * backpressure is on the reading side: `backlog()` resolves once the queued
 * writes are few enough, and the handler awaits it before feeding the engine
 * another chunk. Memory stays at a few batches however many rows are dropped.
 */
export class DroppedRowsSink {
  private batch: DroppedRow[] = [];
  private written = 0;
  private queued = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: Pick<DroppedRowsRepository, 'insertBatch'>,
    private readonly key: PartitionKey,
    private readonly generation: number,
    private readonly batchSize: number,
  ) {}

  add(row: DroppedRow): void {
    this.batch.push(row);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** Waits while too many batches are queued; rethrows a failed write. */
  async backlog(): Promise<void> {
    if (this.queued >= MAX_QUEUED_BATCHES) await this.pending;
  }

  /** Writes what is left and waits for every write; returns the rows written. */
  async close(): Promise<number> {
    this.flush();
    await this.pending;
    return this.written;
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    const first = this.written;
    this.batch = [];
    this.written += rows.length;
    this.queued++;
    // Writes run one after another; after a failure the rest are skipped and the error surfaces at the next await.
    this.pending = this.pending
      .then(() => this.repo.insertBatch(this.key, this.generation, first, rows))
      .finally(() => this.queued--);
    this.pending.catch(() => undefined);
  }
}
