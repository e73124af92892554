import type { RebuildPolicy } from '@posflow/dal';
import { IntervalTask, type Logger } from '@posflow/runtime';

/**
 * Rebuilds the month summaries that loads marked dirty, checked every
 * `intervalMs` (`start(intervalMs)`): a month is rebuilt once its loads
 * pause for `policy.quietMs`, or every `policy.maxLagMs` while they go on, so
 * a backfill's hundreds of loads of one month cost a few rebuilds. Reports
 * stay right meanwhile (they read a dirty month's dates from partition
 * summaries), only slower on that month. Each pass that rebuilt something is logged with
 * its duration (`durationMs`). A failed rebuild is logged and retried on the
 * next interval; `stop` waits for a rebuild in flight.
 */
export function createMonthSummaryRebuilder(deps: {
  /** The summaries store (dal); only its dirty-month rebuild is used here. */
  summaries: { rebuildDirtyMonths(policy: RebuildPolicy): Promise<number> };
  /** Which dirty months a pass rebuilds (those whose loads paused, or waited too long). */
  policy: RebuildPolicy;
  logger: Logger;
  /** Called after a pass that rebuilt at least one month, with its duration. */
  onRebuilt?: (months: number, seconds: number) => void;
}): IntervalTask {
  return new IntervalTask({
    name: 'month summary rebuild',
    logger: deps.logger,
    run: async () => {
      const started = performance.now();
      const months = await deps.summaries.rebuildDirtyMonths(deps.policy);
      if (months === 0) return;
      const seconds = (performance.now() - started) / 1000;
      deps.logger.info({ months, durationMs: Math.round(seconds * 1000) }, 'month summaries rebuilt');
      deps.onRebuilt?.(months, seconds);
    },
  });
}
