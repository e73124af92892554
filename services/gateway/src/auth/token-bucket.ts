/**
 * In-memory token buckets, one per key: `burst` requests at once, refilled at
 * `perMinute`. Per process: with several gateway replicas each enforces its
 * own share, which is enough to stop a runaway script.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly opts: { perMinute: number; burst: number }) {}

  /** Takes a token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, nowMs: number): number {
    const rate = this.opts.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.opts.burst, at: nowMs };
    b.tokens = Math.min(this.opts.burst, b.tokens + (nowMs - b.at) * rate);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}
