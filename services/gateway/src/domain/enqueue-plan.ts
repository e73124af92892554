import type { PartitionKey, PartitionStatus } from '@posflow/contracts';

/** What the planner needs to know of a partition that already exists. */
export interface ExistingPartition {
  status: PartitionStatus;
  updatedAt: Date;
  knownEmpty?: boolean | undefined;
}

export type SkipReason = 'loaded' | 'in-flight' | 'known-empty';

export interface EnqueuePlan {
  enqueue: PartitionKey[];
  skipped: Array<{ key: PartitionKey; reason: SkipReason }>;
}

/** Statuses a queued or running fetch holds a partition in (pending = registered, message not taken yet). */
const BUSY: ReadonlySet<PartitionStatus> = new Set([
  'pending',
  'fetching',
  'fetched',
  'combining',
  'combined',
  'importing',
]);

/**
 * Decides which partitions get a fetch message. A partition being worked on
 * (updated within `inFlightFreshMs`) is not enqueued twice; after that it is
 * presumed stuck (its worker died, its message was lost) and enqueued again.
 * Loaded and known-empty partitions are skipped unless `force`.
 */
export function planFetch(
  keys: readonly PartitionKey[],
  existing: ReadonlyMap<string, ExistingPartition>,
  opts: { force: boolean; now: Date; inFlightFreshMs: number; idOf: (k: PartitionKey) => string },
): EnqueuePlan {
  const plan: EnqueuePlan = { enqueue: [], skipped: [] };
  for (const key of keys) {
    const doc = existing.get(opts.idOf(key));
    const reason = doc ? skipReason(doc, opts) : null;
    if (reason) plan.skipped.push({ key, reason });
    else plan.enqueue.push(key);
  }
  return plan;
}

function skipReason(
  doc: ExistingPartition,
  opts: { force: boolean; now: Date; inFlightFreshMs: number },
): SkipReason | null {
  // Never two runs at once, even forced: the second would race the first's generation.
  // A closed day marked before it was ever fetched sits in `pending` with no message behind it.
  const queued = BUSY.has(doc.status) && !(doc.status === 'pending' && doc.knownEmpty);
  if (queued && opts.now.getTime() - doc.updatedAt.getTime() < opts.inFlightFreshMs) return 'in-flight';
  if (opts.force) return null;
  if (doc.status === 'loaded') return 'loaded';
  if (doc.knownEmpty) return 'known-empty';
  return null;
}

export function countReasons(skipped: EnqueuePlan['skipped']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of skipped) out[s.reason] = (out[s.reason] ?? 0) + 1;
  return out;
}
