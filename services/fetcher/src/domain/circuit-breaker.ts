export type BreakerState = 'closed' | 'half-open' | 'open';

/** Gauge values of `posflow_upstream_breaker_state`. */
export const BREAKER_GAUGE: Readonly<Record<BreakerState, number>> = Object.freeze({
  closed: 0,
  'half-open': 1,
  open: 2,
});

export interface BreakerOptions {
  /** Consecutive upstream failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before letting one trial request through. */
  openMs: number;
  now?: () => number;
  onChange?: (state: BreakerState, openUntil: number) => void;
}

export type BreakerDecision = { allowed: true } | { allowed: false; retryInMs: number };

/**
 * closed → open after `failureThreshold` consecutive failures → half-open
 * once `openMs` has passed (one trial request at a time) → closed on the
 * trial's success, open again on its failure. Pure: the clock is injected and
 * nothing here does I/O; sharing the state across replicas is an adapter's job
 * (`forceOpenUntil`).
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private until = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() >= this.until) this.set('half-open');
    return this.current;
  }

  get openUntil(): number {
    return this.until;
  }

  /** Asks to make one request. In half-open only one trial runs at a time. */
  tryAcquire(): BreakerDecision {
    switch (this.state) {
      case 'closed':
        return { allowed: true };
      case 'open':
        return { allowed: false, retryInMs: Math.max(this.until - this.now(), 1) };
      case 'half-open':
        if (this.trialInFlight) return { allowed: false, retryInMs: Math.min(this.opts.openMs, 250) };
        this.trialInFlight = true;
        return { allowed: true };
    }
  }

  /** The upstream answered (even with content we reject: the server is alive). */
  onSuccess(): void {
    this.failures = 0;
    if (this.current === 'half-open') {
      this.trialInFlight = false;
      this.set('closed');
    }
  }

  onFailure(): void {
    if (this.current === 'half-open') {
      this.trialInFlight = false;
      this.trip();
      return;
    }
    if (this.current === 'open') return;
    this.failures += 1;
    if (this.failures >= this.opts.failureThreshold) this.trip();
  }

  /** The request ended without saying anything about the upstream (e.g. shutdown abort). */
  onNeutral(): void {
    this.trialInFlight = false;
  }

  /** Another replica opened the breaker: follow it while we are closed. */
  forceOpenUntil(until: number): void {
    if (this.current !== 'closed' || until <= this.now()) return;
    this.until = until;
    this.failures = 0;
    this.set('open');
  }

  private trip(): void {
    this.failures = 0;
    this.until = this.now() + this.opts.openMs;
    this.set('open');
  }

  private set(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onChange?.(state, this.until);
  }
}
