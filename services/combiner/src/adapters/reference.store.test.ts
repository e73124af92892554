import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createLogger } from '@posflow/runtime';
import { ReferenceStore, fingerprintOf } from './reference.store.js';

const logger = createLogger('t', 'silent');
const dirs: string[] = [];
const stores: Array<ReferenceStore<unknown>> = [];
afterEach(async () => {
  for (const s of stores.splice(0)) s.stop();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'posflow-ref-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('ReferenceStore', () => {
  test('reloads only when the content changed, unless forced', async () => {
    const dir = await folder({ 'newBranches.txt': 'BETA\n' });
    let loads = 0;
    const store = new ReferenceStore({
      dir,
      reloadMs: 3_600_000,
      logger,
      load: async (d) => {
        loads++;
        return fingerprintOf(d);
      },
    });
    stores.push(store as ReferenceStore<unknown>);
    await store.start();
    const first = store.current;
    await store.reload(false);
    expect(loads).toBe(1);
    await writeFile(join(dir, 'newBranches.txt'), 'BETA\nBPAG\n');
    await store.reload(false);
    expect(loads).toBe(2);
    expect(store.current).not.toBe(first);
    await store.reload(true);
    expect(loads).toBe(3);
  });

  test('a failing reload keeps the previous data; a missing folder fails the start', async () => {
    const dir = await folder({ 'conversion.csv': 'A,B\n' });
    let fail = false;
    const store = new ReferenceStore({
      dir,
      reloadMs: 3_600_000,
      logger,
      load: async () => {
        if (fail) throw new Error('bad table');
        return 'v1';
      },
    });
    stores.push(store as ReferenceStore<unknown>);
    await store.start();
    fail = true;
    await writeFile(join(dir, 'conversion.csv'), 'A,C\n');
    await store.reload(false);
    expect(store.current).toBe('v1');

    const missing = new ReferenceStore({
      dir: join(dir, 'nope'),
      reloadMs: 1_000,
      logger,
      load: async () => 1,
    });
    await expect(missing.start()).rejects.toThrow(/ENOENT/);
  });
});
