import type { SalesSummariesRepository } from '@posflow/dal';
import { errorMessage, type Logger } from '@posflow/runtime';

/**
 * Rebuilds the month summaries that loads marked dirty, every `intervalMs`:
 * a backfill's many loads of one month cost one rebuild per interval instead
 * of one each. Reports' whole months trail a load by about one interval.
 */
export class MonthSummaryRebuilder {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      summaries: Pick<SalesSummariesRepository, 'rebuildDirtyMonths'>;
      logger: Logger;
      onRebuilt?: (months: number) => void;
    },
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  runOnce(): Promise<void> {
    this.running ??= this.deps.summaries
      .rebuildDirtyMonths()
      .then((n) => {
        if (n > 0) this.deps.onRebuilt?.(n);
      })
      .catch((err: unknown) =>
        this.deps.logger.warn(
          { err: errorMessage(err) },
          'month summary rebuild failed; retried next interval',
        ),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
