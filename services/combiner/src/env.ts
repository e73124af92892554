import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { BaseEnv, WorkerEnvFields } from '@posflow/runtime';

/** Where the clean-up tables live when REFERENCE_DIR is not set: the shared fixtures in a dev checkout. */
export function defaultReferenceDir(cwd = process.cwd()): string {
  for (const base of [cwd, resolve(cwd, '..', '..')]) {
    const shared = resolve(base, '..', 'shared', 'fixtures', 'reference');
    if (existsSync(shared)) return shared;
  }
  return resolve(cwd, '.posflow', 'reference');
}

export const Env = BaseEnv.extend({
  ...WorkerEnvFields,
  /** branches.txt, newBranches.txt, aaa_headers.csv, conversion*.csv: operator-maintained data (a ConfigMap in the cluster), never compiled in. */
  REFERENCE_DIR: z
    .string()
    .min(1)
    .default(() => defaultReferenceDir())
    .transform((p) => resolve(p)),
  /** Also re-read the reference folder this often even without a change event (ConfigMap updates can be missed by watchers). */
  REFERENCE_RELOAD_MS: z.coerce.number().int().min(1_000).default(300_000),
  /** The engine's spill files (reverse-order buffering of big rd5000 files); an emptyDir in the cluster, where the root fs is read-only. */
  TMP_DIR: z
    .string()
    .min(1)
    .default('.posflow/tmp')
    .transform((p) => resolve(p)),
  /** Dropped rows written to the droppedrows collection per batch. */
  DROPPED_ROWS_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
});
export type Env = z.infer<typeof Env>;
