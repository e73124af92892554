import type { Collection } from 'mongodb';
import type { PartitionDoc } from '@posflow/contracts';

/** partitionId → generation whose rows are visible (0 = none loaded). */
export type Generations = Map<string, number>;

/**
 * Reads the current generation of every partition matching `filter`. Readers
 * of rows and rollups take one before and one after a read: the importer
 * deletes a generation only after flipping its partition away from it, so
 * when nothing changed in between, every row read for a partition belongs to
 * one complete generation (never a mix, never half of one).
 */
export async function readGenerations(
  partitions: Collection<PartitionDoc>,
  filter: Record<string, unknown>,
): Promise<Generations> {
  const docs = await partitions.find(filter, { projection: { generation: 1 } }).toArray();
  return new Map(docs.map((d) => [d._id, d.generation]));
}

/** Partitions whose generation differs between two snapshots (appeared, flipped or vanished). */
export function changedGenerations(before: Generations, after: Generations): string[] {
  const out: string[] = [];
  for (const [id, g] of after) if ((before.get(id) ?? 0) !== g) out.push(id);
  for (const [id, g] of before) if (!after.has(id) && g !== 0) out.push(id);
  return out;
}

/** `pg` value of a partition generation: what every row and rollup of it carries. */
export function pgOf(partitionId: string, generation: number): string {
  return `${partitionId}#${generation}`;
}

/** Snapshot retries before a read gives up (only reachable if the same data is re-imported continuously). */
export const SNAPSHOT_ATTEMPTS = 8;

export class ConcurrentLoadError extends Error {
  override name = 'ConcurrentLoadError';
}
