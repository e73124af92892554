import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiKeyEntry, type ApiRole } from '@posflow/contracts';

/** Who is calling: the key's name (for audit fields such as createdBy), role and branch scope. */
export interface Principal {
  name: string;
  role: ApiRole;
  /** Undefined = every branch. */
  branches?: readonly string[] | undefined;
}

const RANK: Record<ApiRole, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(p: Principal, required: ApiRole): boolean {
  return RANK[p.role] >= RANK[required];
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

export const ApiKeyList = z.array(ApiKeyEntry);

/**
 * The configured API keys, held only as sha256 hashes: a presented key is
 * hashed and looked up, so the plain keys never sit in config or memory
 * beyond the request. `POSFLOW_API_KEY` (plain, the local stack's admin key)
 * is hashed at start.
 */
export class ApiKeyStore {
  private readonly byHash = new Map<string, Principal>();

  constructor(entries: readonly ApiKeyEntry[]) {
    for (const e of entries) {
      const p: Principal = { name: e.name, role: e.role, ...(e.branches ? { branches: e.branches } : {}) };
      this.byHash.set(e.sha256.toLowerCase(), p);
    }
  }

  static fromConfig(keys: readonly ApiKeyEntry[], plainAdminKey: string | undefined): ApiKeyStore {
    const all = [...keys];
    if (plainAdminKey) all.push({ name: 'local-admin', role: 'admin', sha256: sha256Hex(plainAdminKey) });
    return new ApiKeyStore(all);
  }

  get size(): number {
    return this.byHash.size;
  }

  authenticate(presented: string): Principal | null {
    return this.byHash.get(sha256Hex(presented)) ?? null;
  }
}

/** The key from `Authorization: Bearer <key>` or `X-API-Key`. */
export function presentedKey(headers: {
  authorization?: string | undefined;
  'x-api-key'?: string | string[] | undefined;
}): string | null {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1].trim();
  }
  const x = headers['x-api-key'];
  const v = Array.isArray(x) ? x[0] : x;
  return v ? v.trim() : null;
}
