import type { Logger } from './logger.js';

interface Hook {
  name: string;
  order: number;
  run: () => Promise<void> | void;
}

/**
 * Ordered graceful shutdown (STYLE.md §9). Hooks run by ascending `order`
 * (stop consuming → drain in-flight → close channels → close DB → ops
 * server); a force-exit timer, shorter than the pod's grace period, ends the
 * process if a hook hangs.
 */
export class Shutdown {
  private readonly hooks: Hook[] = [];
  private started: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  add(name: string, order: number, run: Hook['run']): void {
    this.hooks.push({ name, order, run });
  }

  /** Installs SIGTERM/SIGINT handlers. */
  listen(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        this.logger.info({ signal }, 'shutdown requested');
        void this.run(0);
      });
    }
  }

  get isShuttingDown(): boolean {
    return this.started !== undefined;
  }

  run(code = 0): Promise<void> {
    this.started ??= this.runHooks(code);
    return this.started;
  }

  private async runHooks(code: number): Promise<void> {
    const timer = setTimeout(() => {
      this.logger.error({ timeoutMs: this.timeoutMs }, 'shutdown timed out, forcing exit');
      this.exit(code === 0 ? 1 : code);
    }, this.timeoutMs);
    timer.unref();
    for (const hook of [...this.hooks].sort((a, b) => a.order - b.order)) {
      try {
        await hook.run();
      } catch (err) {
        this.logger.warn({ err, hook: hook.name }, 'shutdown hook failed');
      }
    }
    clearTimeout(timer);
    this.logger.info({ code }, 'shutdown complete');
    this.exit(code);
  }
}
