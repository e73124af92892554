import type { z } from 'zod';

export type ParsedEnvelope =
  | { ok: true; message: unknown; raw: unknown }
  | { ok: false; reason: string; raw: unknown };

/**
 * Finds the catalog entry matching the message's `type` and `version` and
 * safeParses it; never throws. The reason names what was wrong.
 */
export function parseEnvelope(schemas: readonly z.ZodType[], content: Buffer): ParsedEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid message: body is not JSON', raw: undefined };
  }
  let firstIssue: string | undefined;
  for (const schema of schemas) {
    const res = schema.safeParse(raw);
    if (res.success) return { ok: true, message: res.data, raw };
    firstIssue ??= res.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
  }
  return { ok: false, reason: `invalid message: ${firstIssue ?? 'no schema for this queue'}`, raw };
}
