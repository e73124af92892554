import { z } from 'zod';

/**
 * Every message is `{type, version, id, payload}`. A change to a message adds
 * a version beside the old one (STYLE.md §3); consumers accept both until the
 * queues have drained.
 */
export function envelope<T extends string, V extends number, P extends z.ZodType>(
  type: T,
  version: V,
  payload: P,
) {
  return z.object({
    type: z.literal(type),
    version: z.literal(version),
    /** Unique per logical message; redeliveries and retries keep it. */
    id: z.string().min(1),
    /** When the message was first published (ISO timestamp). */
    sentAt: z.string(),
    payload,
  });
}
