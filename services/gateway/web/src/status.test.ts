import { PARTITION_STATUSES } from '@posflow/contracts';
import { describe, expect, test } from 'vitest';
import { TONES, toneOf } from './status.js';

describe('coverage tones', () => {
  test('every partition status has a tone in the legend', () => {
    const legend = new Set(TONES.map((t) => t.tone));
    for (const s of PARTITION_STATUSES) expect(legend.has(toneOf(s))).toBe(true);
    expect(toneOf(null)).toBe('none');
  });

  test('a known-empty day reads as empty unless work is under way or done', () => {
    expect(toneOf('pending', true)).toBe('empty');
    expect(toneOf('failed', true)).toBe('empty');
    expect(toneOf('fetching', true)).toBe('working');
    expect(toneOf('loaded', true)).toBe('loaded');
    expect(toneOf('pending')).toBe('working');
  });
});
