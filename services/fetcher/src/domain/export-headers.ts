import type { FileType } from '@posflow/contracts';
import { isUpstreamErrorText, looksLikeHtml } from './list-answer.classifier.js';

/**
 * The first columns of each export's header line, read off the real files in
 * fixtures/pos-exports (new-format branches append columns, so these are
 * prefixes). rd5000 and rd5800 share their first four columns: the fifth
 * tells them apart.
 */
export const EXPECTED_HEADER_PREFIX: Readonly<Record<FileType, string>> = Object.freeze({
  rd5000: 'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,ITE_CODE,',
  rd5500: 'INCODE,ITE_DESC,ECR_DESC,DEP_CODE,',
  rd1800: 'DEP_CODE,DEP_DESC,',
  discount: 'CODE,DESC,TYPE,VALUE,',
  rd5800: 'STORE_NUM,TRANSDATE,INVOICE,CAS_CODE,AMT_TENDER,',
  rd5900: 'PAY_CODE,PAY_DESC,',
  blpr: 'STORE,PHONE,TRANSNO,ORNO,',
});

/** Bytes of a body we look at before deciding (a header line is ~600 bytes at most). */
export const HEAD_BYTES = 4096;

export type HeadVerdict = { ok: true } | { ok: false; error: 'html' | 'error-text' | 'invalid-header'; detail: string };

/**
 * Decides from the first bytes of a download whether it is the export it
 * claims to be. `head` is the body up to the first newline or HEAD_BYTES,
 * whichever comes first (or the whole body when shorter). A UTF-8 BOM is
 * tolerated; header names are compared case-sensitively, as sent.
 */
export function checkExportHead(type: FileType, head: string): HeadVerdict {
  const text = head.replace(/^\uFEFF/, '');
  if (looksLikeHtml(text)) return { ok: false, error: 'html', detail: 'HTML page instead of CSV' };
  if (isUpstreamErrorText(text)) return { ok: false, error: 'error-text', detail: 'upstream error text instead of CSV' };
  const expected = EXPECTED_HEADER_PREFIX[type];
  const firstLine = text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  if (!firstLine.startsWith(expected)) {
    return { ok: false, error: 'invalid-header', detail: `expected ${type} header "${expected}…", got "${firstLine.slice(0, 80)}"` };
  }
  return { ok: true };
}
