import { describe, expect, test } from 'vitest';
import { decideStart } from './fetch-partition.handler.js';

describe('decideStart', () => {
  test.each([
    ['pending', false, 'fetch'],
    ['failed', false, 'fetch'],
    ['empty', false, 'fetch'],
    ['stale', false, 'fetch'],
    ['fetching', false, 'fetch'],
    ['loaded', false, 'skip-loaded'],
    ['loaded', true, 'fetch'],
    ['fetched', false, 'republish'],
    ['combining', true, 'skip-busy'],
    ['importing', false, 'skip-busy'],
  ] as const)('%s (force %s) → %s', (status, force, expected) => {
    expect(decideStart(status, force)).toBe(expected);
  });
});
