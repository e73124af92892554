import { dateRange, type BranchesMissing, type PartitionKey, type PartitionStatus } from '@posflow/contracts';

/** Expands the legacy `{BRANCH: {POS: [dates]}}` map into partition keys (deduplicated, sorted). */
export function keysFromMissingMap(map: BranchesMissing): PartitionKey[] {
  const seen = new Map<string, PartitionKey>();
  for (const [branch, byPos] of Object.entries(map))
    for (const [pos, dates] of Object.entries(byPos))
      for (const date of dates) seen.set(`${branch}_${pos}_${date}`, { branch, pos: Number(pos), date });
  return [...seen.values()].sort(compareKeys);
}

/** Every (branch, pos, date) of a range. */
export function expandRange(
  from: string,
  to: string,
  branches: readonly string[],
  pos: readonly number[],
): PartitionKey[] {
  const out: PartitionKey[] = [];
  for (const date of dateRange(from, to))
    for (const branch of branches) for (const p of pos) out.push({ branch, pos: p, date });
  return out;
}

export function compareKeys(a: PartitionKey, b: PartitionKey): number {
  return a.date.localeCompare(b.date) || a.branch.localeCompare(b.branch) || a.pos - b.pos;
}

export interface ScanPartition {
  status: PartitionStatus;
  knownEmpty?: boolean | undefined;
}

export interface MissingScan {
  missing: PartitionKey[];
  empty: Array<PartitionKey & { knownEmpty: boolean }>;
  map: BranchesMissing;
}

/**
 * Which expected partitions hold no rows. `empty` (fetched, nothing sent) and
 * operator-marked closed days are listed apart from the ones never fetched,
 * failed or stuck, which form the legacy map the fetcher can be given.
 */
export function scanMissing(
  expected: readonly PartitionKey[],
  existing: ReadonlyMap<string, ScanPartition>,
  idOf: (k: PartitionKey) => string,
): MissingScan {
  const scan: MissingScan = { missing: [], empty: [], map: {} };
  for (const key of expected) {
    const doc = existing.get(idOf(key));
    if (doc?.status === 'loaded') continue;
    if (doc && (doc.knownEmpty || doc.status === 'empty')) {
      scan.empty.push({ ...key, knownEmpty: doc.knownEmpty === true });
      continue;
    }
    scan.missing.push(key);
    const byPos = (scan.map[key.branch] ??= {});
    (byPos[String(key.pos)] ??= []).push(key.date);
  }
  return scan;
}
