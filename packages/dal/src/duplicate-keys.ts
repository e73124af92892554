import { MongoBulkWriteError } from 'mongodb';
import { TransientError } from '@posflow/runtime';

/**
 * For an unordered insert that failed: how many documents were rejected as
 * duplicate keys (11000), or null when a document failed for another reason.
 * Our ids are deterministic, so a duplicate is the same document written by
 * an earlier attempt. A bulk error without any per-document error (the
 * connection dropped mid-batch: the outcome is unknown) is thrown as a
 * TransientError: the whole batch can safely be sent again.
 */
export function duplicateKeyCount(err: unknown): number | null {
  if (!(err instanceof MongoBulkWriteError)) return null;
  const errors = [err.writeErrors].flat().filter(Boolean) as unknown as { code?: unknown }[];
  if (errors.length === 0)
    throw new TransientError(`bulk insert interrupted: ${err.message}`, 'transient', { cause: err });
  if (errors.some((e) => e.code !== 11000)) return null;
  return errors.length;
}
