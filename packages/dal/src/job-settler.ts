import type { Logger } from '@posflow/runtime';
import type { JobsRepository } from './jobs.repository.js';

/**
 * Settles jobs after their partitions move, a burst of moves of one job
 * coalesced into one `jobs.refresh` per `delayMs`. A refresh counts the job's
 * partitions by status, which reads every partition of the job (on FerretDB
 * 1.24 an aggregate grouped in FerretDB itself, 55 % of its CPU during a
 * 1,800-partition backfill when each load refreshed its job): with loads
 * every second or two, one refresh per interval settles the job as surely.
 * `delayMs` 0 refreshes at once (tests). A pending refresh lost with its
 * process (kill -9) is made by the next read of the job (the gateway settles
 * a job whenever it is read). `flush` (shutdown) runs the pending ones now.
 */
export class JobSettler {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly jobs: Pick<JobsRepository, 'refresh'>,
    private readonly delayMs: number,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Asks for the job to be settled (JobsRepository.refresh's shape; nothing is returned). */
  async refresh(id: string): Promise<null> {
    if (this.delayMs <= 0) {
      await this.jobs.refresh(id);
      return null;
    }
    if (!this.pending.has(id)) {
      const timer = setTimeout(() => this.run(id), this.delayMs);
      timer.unref();
      this.pending.set(id, timer);
    }
    return null;
  }

  /** Runs every pending refresh now and waits for those in flight. */
  async flush(): Promise<void> {
    for (const [id, timer] of this.pending) {
      clearTimeout(timer);
      this.run(id);
    }
    await Promise.all(this.inFlight);
  }

  private run(id: string): void {
    this.pending.delete(id);
    const done: Promise<void> = this.jobs
      .refresh(id)
      .then(
        () => undefined,
        (err: unknown) => {
          this.logger.warn({ jobId: id, err: String(err) }, 'job refresh failed; the next read of the job settles it');
        },
      )
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }
}
