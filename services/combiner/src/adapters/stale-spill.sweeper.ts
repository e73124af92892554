import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The engine's spill folders are `posflow-combine-*` (packages/combine reverse-line.buffer.ts). */
const SPILL_PREFIX = 'posflow-combine-';

/**
 * Removes spill folders a killed combiner left behind (the engine removes
 * its own on success and on errors, but not after SIGKILL or an OOM kill).
 * Only folders untouched for `olderThanMs` go, so another process sharing
 * the folder (local runs) keeps its live spill. Returns how many were removed.
 */
export async function sweepStaleSpills(
  tmpDir: string,
  olderThanMs: number,
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
    if (!name.startsWith(SPILL_PREFIX)) continue;
    const dir = join(tmpDir, name);
    const entries = await readdir(dir).catch(() => [] as string[]);
    const times = await Promise.all(
      [dir, ...entries.map((e) => join(dir, e))].map((p) =>
        stat(p).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    if (now - Math.max(...times) < olderThanMs) continue;
    await rm(dir, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
