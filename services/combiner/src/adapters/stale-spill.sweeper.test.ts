import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { sweepStaleSpills } from './stale-spill.sweeper.js';

test('removes only stale engine spill folders', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'posflow-sweep-'));
  try {
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (const name of ['posflow-combine-old', 'posflow-combine-live', 'other-old']) {
      await mkdir(join(tmp, name));
      await writeFile(join(tmp, name, 'rd5000.spill'), 'x');
    }
    for (const name of ['posflow-combine-old', 'other-old']) {
      await utimes(join(tmp, name, 'rd5000.spill'), old, old);
      await utimes(join(tmp, name), old, old);
    }
    expect(await sweepStaleSpills(tmp, 3_600_000)).toBe(1);
    expect(existsSync(join(tmp, 'posflow-combine-old'))).toBe(false);
    expect(existsSync(join(tmp, 'posflow-combine-live'))).toBe(true);
    expect(existsSync(join(tmp, 'other-old'))).toBe(true);
    expect(await sweepStaleSpills(join(tmp, 'missing'), 1)).toBe(0);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
