import { createHash } from 'node:crypto';
import type { ParsedRow, TransactionDoc } from '@posflow/contracts';

/** `<partitionId>#<generation>`: the value every row and rollup of one load carries. */
export function pgOf(partitionId: string, generation: number): string {
  return `${partitionId}#${generation}`;
}

/** Generation-independent content key: 12 hex chars of sha1 over the exact legacy line. */
export function contentKey(legacy: string): string {
  return createHash('sha1').update(legacy).digest('hex').slice(0, 12);
}

/**
 * Deterministic row id: partition generation + source line + content key.
 * The same artifact always yields the same ids, so a redelivered import
 * rewrites nothing and can never duplicate a row.
 */
export function transactionId(pg: string, row: Pick<ParsedRow, 'line' | 'legacy'>): string {
  return `${pg}:${row.line}:${contentKey(row.legacy)}`;
}

/** The stored document of one artifact row. `dateAt` is midnight UTC of the business date string. */
export function toTransactionDoc(row: ParsedRow, partitionId: string, generation: number): TransactionDoc {
  const pg = pgOf(partitionId, generation);
  return {
    _id: transactionId(pg, row),
    ...row,
    partitionId,
    generation,
    pg,
    dateAt: new Date(`${row.date}T00:00:00Z`),
  };
}
