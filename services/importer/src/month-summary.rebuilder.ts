import { IntervalTask, type Logger } from '@posflow/runtime';

/**
 * Rebuilds the month summaries that loads marked dirty, every `intervalMs`
 * (`start(intervalMs)`): a backfill's many loads of one month cost one
 * rebuild per interval instead of one each. Reports' whole months trail a
 * load by about one interval. A failed rebuild is logged and retried on the
 * next interval; `stop` waits for a rebuild in flight.
 */
export function createMonthSummaryRebuilder(deps: {
  /** The summaries store (dal); only its dirty-month rebuild is used here. */
  summaries: { rebuildDirtyMonths(): Promise<number> };
  logger: Logger;
  onRebuilt?: (months: number) => void;
}): IntervalTask {
  return new IntervalTask({
    name: 'month summary rebuild',
    logger: deps.logger,
    run: () =>
      deps.summaries.rebuildDirtyMonths().then((n) => {
        if (n > 0) deps.onRebuilt?.(n);
      }),
  });
}
