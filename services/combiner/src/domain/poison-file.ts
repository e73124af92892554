import { exportHeaderProblem, type FileType } from '@posflow/contracts';
import { PermanentError } from '@posflow/runtime';

/** Bytes looked at before deciding about the header (a real header line is ~600 bytes). */
export const HEAD_BYTES = 4096;

/**
 * A raw file that cannot be what its name says: binary data, an HTML page
 * saved as CSV, or another export under this type's name. Permanent: the
 * same bytes will fail the same way, so the message is dead-lettered.
 */
export class PoisonFileError extends PermanentError {
  override name = 'PoisonFileError';
  constructor(
    readonly file: string,
    readonly type: FileType,
    readonly problem: string,
  ) {
    super(`poison ${type} file ${file}: ${problem}`, 'poison-file');
  }
}

const HTML_START = /^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|\?xml)/i;

/**
 * What is wrong with the start of a raw file (`head`: up to the first
 * newline or HEAD_BYTES), or null when it looks like a `type` export. An
 * empty file is not poison: it simply has no rows.
 */
export function headProblem(type: FileType, head: Buffer): string | null {
  if (head.length === 0) return null;
  if (head.includes(0)) return 'contains NUL bytes (binary data, not CSV text)';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (HTML_START.test(text)) return 'is an HTML page, not a CSV export';
  if (text.includes('\uFFFD')) return 'is not UTF-8 text';
  const firstLine = text.split('\n', 1)[0] ?? '';
  return exportHeaderProblem(type, firstLine);
}
