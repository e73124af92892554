// Test-only (excluded from the build): where the read-only shared fixtures are.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/combine/src/testing → the repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const SHARED_FIXTURES = join(REPO_ROOT, '..', 'shared', 'fixtures');
export const POS_EXPORTS_DIR = join(SHARED_FIXTURES, 'pos-exports');
export const LEGACY_OUTPUT_DIR = join(SHARED_FIXTURES, 'legacy-output');
export const REFERENCE_DIR = join(SHARED_FIXTURES, 'reference');
export const NO_FIXTURES = !existsSync(POS_EXPORTS_DIR);

/** The only allowed skip: the shared fixtures live beside the repo, not in it. */
export function noFixturesReason(): string {
  const reason = `skipped: ${SHARED_FIXTURES} is absent (the shared fixtures are read from ../shared, never copied into the repo)`;
  if (NO_FIXTURES) console.warn(reason);
  return reason;
}
