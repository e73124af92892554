import type { JobProgressView } from '@posflow/contracts';

const WIDTH = 30;

/** Partitions past each milestone: a loaded partition has also been fetched and combined. */
export function milestones(counts: Record<string, number>) {
  const n = (...s: string[]) => s.reduce((t, k) => t + (counts[k] ?? 0), 0);
  const loaded = n('loaded');
  const combined = loaded + n('combined', 'importing');
  const fetched = combined + n('fetched', 'combining', 'stale');
  return { fetched: fetched + n('empty'), combined, loaded, empty: n('empty'), failed: n('failed') };
}

/** One terminal line: a bar over done/total and the counts behind it. */
export function progressLine(v: JobProgressView): string {
  const ratio = v.total === 0 ? 1 : v.done / v.total;
  const filled = Math.round(ratio * WIDTH);
  const m = milestones(v.counts);
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${v.done}/${v.total} ` +
    `fetched ${m.fetched} combined ${m.combined} loaded ${m.loaded} empty ${m.empty} failed ${m.failed} ` +
    `rows ${v.rowsLoaded} dropped ${v.rowsDropped}`
  );
}

export function summary(v: JobProgressView): string {
  const lines = [`job ${v.id} (${v.kind}) ${v.status}: ${v.done}/${v.total} partitions, ${v.rowsLoaded} rows loaded, ${v.rowsDropped} dropped`];
  for (const f of v.failures ?? []) lines.push(`  failed ${f.partition} at ${f.stage} after ${f.attempts} attempts: ${f.reason}`);
  return lines.join('\n');
}

/** 0 when the job succeeded, 1 when it failed, was partial or cancelled (for --watch). */
export function exitCodeFor(status: JobProgressView['status']): number {
  return status === 'succeeded' ? 0 : 1;
}
