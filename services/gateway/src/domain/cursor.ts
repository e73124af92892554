import { z } from 'zod';

/** The last row of a page, by the sort keys: the next page starts after it (keyset pagination). */
export const PageCursor = z.object({ d: z.string(), t: z.string(), i: z.string() });
export type PageCursor = z.infer<typeof PageCursor>;

export function encodeCursor(c: PageCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** Null when the cursor is not one we issued. */
export function decodeCursor(s: string): PageCursor | null {
  try {
    const r = PageCursor.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
