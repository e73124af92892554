import type { Db } from 'mongodb';
import type { ImportRequestedV1, PartitionKey } from '@posflow/contracts';
import { PartitionsRepository } from '@posflow/dal';
import { makeMessage } from '@posflow/runtime';

/**
 * Puts a partition where the combiner leaves it before publishing an import:
 * registered, generation `g` claimed, status `combined`. Skips the
 * fetch/combine history (the status is set directly).
 */
export async function stageCombined(db: Db, key: PartitionKey, g: number, jobId?: string): Promise<void> {
  const parts = new PartitionsRepository(db);
  await parts.register([key], jobId);
  await parts.col.updateOne(
    { branch: key.branch, pos: key.pos, date: key.date },
    { $set: { status: 'combined', claimedGeneration: g, updatedAt: new Date() } },
  );
}

export function importMessage(
  key: PartitionKey,
  g: number,
  artifact: { id: string; rows: number },
  over: Partial<ImportRequestedV1['payload']> = {},
): ImportRequestedV1 {
  return makeMessage('import.requested', 1, {
    partition: key,
    artifactId: artifact.id,
    generation: g,
    rows: artifact.rows,
    dropped: 0,
    sourceHash: 'test-source',
    sources: [],
    ...over,
  });
}
