import type { PartitionStatus } from '@posflow/contracts';

/**
 * How partition statuses look on the coverage grid: a handful of colour
 * groups an operator can tell apart at a glance (pure, unit-tested).
 */
export type CellTone = 'loaded' | 'working' | 'empty' | 'failed' | 'stale' | 'none';

export const TONES: readonly { tone: CellTone; label: string }[] = [
  { tone: 'loaded', label: 'Loaded' },
  { tone: 'working', label: 'In progress' },
  { tone: 'empty', label: 'Empty / closed' },
  { tone: 'stale', label: 'Stale' },
  { tone: 'failed', label: 'Failed' },
  { tone: 'none', label: 'Not requested' },
];

export function toneOf(status: PartitionStatus | null | undefined, knownEmpty = false): CellTone {
  // A day an operator marked closed reads as empty unless work on it is under way or done.
  if (knownEmpty && (status === 'pending' || status === 'empty' || status === 'failed')) return 'empty';
  switch (status) {
    case 'loaded':
      return 'loaded';
    case 'empty':
      return 'empty';
    case 'failed':
      return 'failed';
    case 'stale':
      return 'stale';
    case 'pending':
    case 'fetching':
    case 'fetched':
    case 'combining':
    case 'combined':
    case 'importing':
      return 'working';
    case null:
    case undefined:
      return 'none';
  }
}

export const TERMINAL_JOB_STATUSES = new Set(['succeeded', 'partial', 'failed', 'cancelled']);

/** Badge colour for a job status. */
export function jobTone(status: string): 'ok' | 'warn' | 'bad' | 'info' | 'muted' {
  if (status === 'succeeded') return 'ok';
  if (status === 'partial') return 'warn';
  if (status === 'failed') return 'bad';
  if (status === 'cancelled') return 'muted';
  return 'info';
}
