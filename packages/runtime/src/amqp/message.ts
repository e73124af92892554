import { randomUUID } from 'node:crypto';

/** Builds an envelope `{type, version, id, sentAt, payload}` with a fresh id. */
export function makeMessage<T extends string, V extends number, P>(
  type: T,
  version: V,
  payload: P,
  id: string = randomUUID(),
) {
  return { type, version, id, sentAt: new Date().toISOString(), payload };
}
