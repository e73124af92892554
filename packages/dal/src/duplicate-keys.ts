import { MongoBulkWriteError } from 'mongodb';

/**
 * For an unordered insert that failed: how many documents were rejected as
 * duplicate keys (11000), or null when anything else went wrong. Our ids are
 * deterministic, so a duplicate is the same document written by an earlier attempt.
 */
export function duplicateKeyCount(err: unknown): number | null {
  if (!(err instanceof MongoBulkWriteError)) return null;
  const errors = [err.writeErrors].flat() as unknown as { code?: unknown }[];
  if (errors.length === 0 || errors.some((e) => e.code !== 11000)) return null;
  return errors.length;
}
