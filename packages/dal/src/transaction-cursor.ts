import { z } from 'zod';

/**
 * The last row of a page by its sort key (date, time, _id): the next page
 * starts after it. `f` (fresh): the next page starts at the beginning of date
 * `d` (a page that ran out of its date budget before it was full).
 */
export const TransactionCursor = z.object({ d: z.string(), t: z.string(), i: z.string(), f: z.literal(true).optional() });
export type TransactionCursor = z.infer<typeof TransactionCursor>;

/** Opaque to clients: base64url of the JSON sort key. */
export function encodeTransactionCursor(c: TransactionCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** Null when `s` is not a cursor we issued (the API answers 400). */
export function decodeTransactionCursor(s: string): TransactionCursor | null {
  try {
    const r = TransactionCursor.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
