import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared/fixtures` relative to the repo root; tests skip (with a message) when it is absent. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url));
export const HAVE_FIXTURES = existsSync(FIXTURES_DIR);
if (!HAVE_FIXTURES) console.warn(`[synth tests] ${FIXTURES_DIR} not found: fixture comparisons are skipped`);
