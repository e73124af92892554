/** The error text the upstream PHP app sends (status 200) when it fails. */
export const UPSTREAM_ERROR_TEXT = 'An error occurred, check your Internet or contact a technician.';

export type ListAnswer =
  | { kind: 'files'; paths: string[] }
  /** Nothing was sent that day: not an error. */
  | { kind: 'empty' }
  /** A session or server error page served with status 200. */
  | { kind: 'html'; sample: string }
  | { kind: 'error-text'; sample: string };

/** True when a body (or its first bytes) is an HTML page rather than data. */
export function looksLikeHtml(text: string): boolean {
  const t = text.trimStart().slice(0, 4096).toLowerCase();
  return (
    t.includes('<!doctype html') || t.startsWith('<html') || t.startsWith('<?xml') || t.startsWith('<head')
  );
}

export function isUpstreamErrorText(text: string): boolean {
  return text.includes(UPSTREAM_ERROR_TEXT);
}

/**
 * Classifies the body of `fetch_list2.php`: comma-separated paths (entries
 * may be empty: trailing comma), an empty body (nothing sent), or one of the
 * two failure shapes the server returns with status 200.
 */
export function classifyListAnswer(body: string): ListAnswer {
  const text = body.replace(/^\uFEFF/, '');
  if (looksLikeHtml(text)) return { kind: 'html', sample: sample(text) };
  if (isUpstreamErrorText(text)) return { kind: 'error-text', sample: sample(text) };
  const paths = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return paths.length === 0 ? { kind: 'empty' } : { kind: 'files', paths };
}

function sample(text: string): string {
  return text.trim().slice(0, 200);
}
