import { describe, expect, test } from 'vitest';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';

function setup(threshold = 3, openMs = 1_000) {
  let now = 0;
  const changes: BreakerState[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: threshold,
    openMs,
    now: () => now,
    onChange: (s) => changes.push(s),
  });
  return { breaker, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  test('opens after N consecutive failures; a success in between resets the count', () => {
    const { breaker, changes } = setup(3);
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.state).toBe('closed');
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['open']);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryInMs: 1_000 });
  });

  test('half-open after openMs lets exactly one trial through; its success closes', () => {
    const { breaker, changes, advance } = setup(1, 1_000);
    breaker.onFailure();
    advance(999);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryInMs: 1 });
    advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    expect(breaker.tryAcquire().allowed).toBe(false);
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toEqual({ allowed: true });
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  test('a failed trial opens it again for another openMs', () => {
    const { breaker, advance } = setup(1, 500);
    breaker.onFailure();
    advance(500);
    expect(breaker.tryAcquire().allowed).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.openUntil).toBe(1_000);
  });

  test('a neutral end (shutdown abort) frees the trial slot without deciding', () => {
    const { breaker, advance } = setup(1, 100);
    breaker.onFailure();
    advance(100);
    expect(breaker.tryAcquire().allowed).toBe(true);
    breaker.onNeutral();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire().allowed).toBe(true);
  });

  test('follows another replica’s open state only while closed and only into the future', () => {
    const { breaker, advance } = setup(5, 100);
    breaker.forceOpenUntil(0);
    expect(breaker.state).toBe('closed');
    breaker.forceOpenUntil(300);
    expect(breaker.state).toBe('open');
    advance(300);
    expect(breaker.state).toBe('half-open');
    breaker.forceOpenUntil(1_000); // ignored: we are doing our own trial
    expect(breaker.state).toBe('half-open');
  });

  test('failures reported while open (requests started before it opened) change nothing', () => {
    const { breaker, advance } = setup(1, 100);
    breaker.onFailure();
    advance(50);
    breaker.onFailure();
    expect(breaker.openUntil).toBe(100);
  });
});
