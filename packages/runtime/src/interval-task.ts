import { errorMessage } from './errors.js';
import type { Logger } from './logger.js';

export interface IntervalTaskOptions {
  /** Names the task in its failure log (`task` field). */
  name: string;
  /** One run. A failure is logged and the next interval runs again. */
  run: () => Promise<unknown>;
  logger: Pick<Logger, 'warn'>;
  /** Run once as soon as the task starts, not only after the first interval. */
  runAtStart?: boolean;
}

/**
 * A background job on a timer (sweeps, rebuilds, gauge refreshes): at most
 * one run at a time (a tick that finds a run in flight joins it instead of
 * starting another), a failed run is logged and the loop goes on, and `stop`
 * clears the timer and waits for the run in flight, so a shutdown hook can
 * close the database after it. The timer is unref'd: it never keeps the
 * process alive on its own.
 */
export class IntervalTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: IntervalTaskOptions) {}

  start(intervalMs: number): void {
    if (this.timer) throw new Error(`interval task ${this.options.name} already started`);
    this.stopped = false;
    if (this.options.runAtStart) void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** One run now (or the one in flight); never rejects. After `stop`, starts nothing. */
  runOnce(): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped) return Promise.resolve();
    // The executor calls `run` at once and turns a synchronous throw into a rejection.
    this.running = new Promise((resolve) => resolve(this.options.run()))
      .then(
        () => undefined,
        (err: unknown) => {
          this.options.logger.warn(
            { task: this.options.name, err: errorMessage(err) },
            'interval task failed; retried next interval',
          );
        },
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
