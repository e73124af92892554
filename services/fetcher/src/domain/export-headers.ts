import { EXPECTED_HEADER_PREFIX, type FileType } from '@posflow/contracts';
import { isUpstreamErrorText, looksLikeHtml } from './list-answer.classifier.js';

// The expected header prefixes moved to @posflow/contracts (export-files.ts): the gateway's uploads check them too.
export { EXPECTED_HEADER_PREFIX };

export type HeadVerdict =
  | { ok: true }
  | { ok: false; error: 'html' | 'error-text' | 'invalid-header'; detail: string };

/**
 * Decides from the first bytes of a download whether it is the export it
 * claims to be. `head` is the body up to the first newline or 4,096 bytes (runtime EXPORT_HEAD_BYTES),
 * whichever comes first (or the whole body when shorter). A UTF-8 BOM is
 * tolerated; header names are compared case-sensitively, as sent.
 */
export function checkExportHead(type: FileType, head: string): HeadVerdict {
  const text = head.replace(/^\uFEFF/, '');
  if (looksLikeHtml(text)) return { ok: false, error: 'html', detail: 'HTML page instead of CSV' };
  if (isUpstreamErrorText(text))
    return { ok: false, error: 'error-text', detail: 'upstream error text instead of CSV' };
  const expected = EXPECTED_HEADER_PREFIX[type];
  const firstLine = text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  if (!firstLine.startsWith(expected)) {
    return {
      ok: false,
      error: 'invalid-header',
      detail: `expected ${type} header "${expected}…", got "${firstLine.slice(0, 80)}"`,
    };
  }
  return { ok: true };
}
