import type { DroppedRow, PartitionKey } from '@posflow/contracts';
import type { DroppedRowsRepository } from '@posflow/dal';

/**
 * Writes one combine's dropped rows to the droppedrows collection in batches,
 * while the combine runs: memory holds at most one batch plus the one being
 * written, however many rows a partition drops.
 */
export class DroppedRowsSink {
  private batch: DroppedRow[] = [];
  private written = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: Pick<DroppedRowsRepository, 'insertBatch'>,
    private readonly key: PartitionKey,
    private readonly generation: number,
    private readonly batchSize: number,
  ) {}

  /** Queues a row; resolves once any batch it completed has been handed to the database (backpressure). */
  async add(row: DroppedRow): Promise<void> {
    this.batch.push(row);
    if (this.batch.length >= this.batchSize) await this.flushBatch();
  }

  /** Writes what is left and waits for every write. */
  async close(): Promise<number> {
    await this.flushBatch();
    await this.pending;
    return this.written;
  }

  private async flushBatch(): Promise<void> {
    // One write in flight at a time: wait for the previous before starting the next.
    await this.pending;
    if (this.batch.length === 0) return;
    const rows = this.batch;
    const first = this.written;
    this.batch = [];
    this.written += rows.length;
    const write = this.repo.insertBatch(this.key, this.generation, first, rows);
    // Handled here so a failure is never an unhandled rejection; it surfaces at the next await of `pending`.
    write.catch(() => undefined);
    this.pending = write;
  }
}
