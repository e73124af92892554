import { ApiRequestError, api } from './api.client.js';
import type { WhoAmI } from './api-types.js';
import { keyStore } from './key.store.js';

export interface Session {
  /** Role and branch scope, when the gateway reports them (`GET /me`). */
  who: WhoAmI | null;
  /** True when the role is known to be too low for writes (hide action buttons). */
  readOnly: boolean;
  /** Branch codes the key may see (empty = unknown; fetched from the coverage grid). */
  branches: string[];
}

export let session: Session = { who: null, readOnly: false, branches: [] };

/**
 * Checks the stored key against the API. `GET /me` tells role and branches;
 * a gateway without it is still usable: any authenticated read proves the key.
 */
export async function signIn(): Promise<Session> {
  if (!keyStore.get()) throw new ApiRequestError(401, 'unauthenticated', 'enter an API key');
  let who: WhoAmI | null = null;
  try {
    who = await api.get<WhoAmI>('/me');
  } catch (err) {
    if (!(err instanceof ApiRequestError) || err.status !== 404) throw err;
    await api.get('/jobs', { limit: 1 });
  }
  session = { who, readOnly: who?.role === 'viewer', branches: who?.branches ?? [] };
  return session;
}

export function signOut(): void {
  keyStore.clear();
  session = { who: null, readOnly: false, branches: [] };
}

let branchList: Promise<string[]> | null = null;

/**
 * The branches the key can see, from a one-day coverage grid (its rows list
 * every known branch in scope), cached for the page's life.
 */
export function knownBranches(): Promise<string[]> {
  branchList ??= api
    .get<{ rows: { branch: string }[] }>('/coverage', { from: todayUtc(), to: todayUtc() })
    .then((g) => [...new Set(g.rows.map((r) => r.branch))].sort())
    .catch((err: unknown) => {
      branchList = null;
      throw err;
    });
  return branchList;
}

const todayUtc = () => new Date().toISOString().slice(0, 10);
