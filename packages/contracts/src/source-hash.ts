import { createHash } from 'node:crypto';
import { FILE_TYPES, type FileType } from './files.js';

/**
 * The hash of a partition's chosen raw files: sha256 over `<type>:<sha256>\n`
 * lines in FILE_TYPES order. The fetcher compares it with the partition's
 * `sourceHash` to detect a changed source; the combiner puts the same value in
 * ImportRequestedV1.sourceHash, so both must use this one function.
 */
export function sourceHashOf(files: readonly { type: FileType; sha256: string }[]): string {
  const sorted = [...files].sort((a, b) => FILE_TYPES.indexOf(a.type) - FILE_TYPES.indexOf(b.type));
  return createHash('sha256')
    .update(sorted.map((f) => `${f.type}:${f.sha256}\n`).join(''))
    .digest('hex');
}
