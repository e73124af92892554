import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, type Logger } from '@posflow/runtime';

export interface ReferenceStoreOptions<R> {
  dir: string;
  /** The engine's loader (reads and validates the folder). */
  load: (dir: string) => Promise<R>;
  /** Re-check the folder this often even without a change event. */
  reloadMs: number;
  logger: Logger;
  /** Fields to log about a loaded value (e.g. which tables were absent). */
  describe?: (value: R) => Record<string, unknown>;
}

/** Quiet time after a change event before re-reading (a ConfigMap update touches several entries). */
const DEBOUNCE_MS = 500;

/**
 * The reference data (branch lists, clean-up tables) as operators maintain
 * it: loaded at start, re-read when the folder changes (watch, a periodic
 * check, SIGHUP). A reload that fails keeps the previous data and logs why,
 * so a bad edit never stops combining. Each combine takes `current` once at
 * its start: a reload never changes a combine half-way.
 */
export class ReferenceStore<R> {
  private value: R | undefined;
  private fingerprint = '';
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private readonly onHup = () => void this.reload(true);

  constructor(private readonly opts: ReferenceStoreOptions<R>) {}

  /** Loads once; throws when the folder cannot be read (the service cannot combine without it). */
  async start(): Promise<void> {
    this.fingerprint = await fingerprintOf(this.opts.dir);
    this.value = await this.opts.load(this.opts.dir);
    this.opts.logger.info(
      { dir: this.opts.dir, fingerprint: this.fingerprint.slice(0, 12), ...this.opts.describe?.(this.value) },
      'reference data loaded',
    );
    try {
      this.watcher = watch(this.opts.dir, () => this.schedule());
      this.watcher.on('error', (err) =>
        this.opts.logger.warn({ err: errorMessage(err) }, 'reference folder watch failed'),
      );
    } catch (err) {
      this.opts.logger.warn(
        { err: errorMessage(err) },
        'reference folder cannot be watched; periodic checks only',
      );
    }
    this.timer = setInterval(() => void this.reload(false), this.opts.reloadMs).unref();
    process.on('SIGHUP', this.onHup);
  }

  get current(): R {
    if (this.value === undefined) throw new Error('reference data not loaded yet');
    return this.value;
  }

  /** Re-reads the folder when its content changed (or always when `force`); never throws. */
  reload(force: boolean): Promise<void> {
    this.reloading = this.reloading.then(() => this.reloadNow(force));
    return this.reloading;
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    process.off('SIGHUP', this.onHup);
  }

  private schedule(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(false), DEBOUNCE_MS).unref();
  }

  private async reloadNow(force: boolean): Promise<void> {
    try {
      const fp = await fingerprintOf(this.opts.dir);
      if (!force && fp === this.fingerprint) return;
      const next = await this.opts.load(this.opts.dir);
      this.value = next;
      this.fingerprint = fp;
      this.opts.logger.info(
        { dir: this.opts.dir, fingerprint: fp.slice(0, 12), forced: force, ...this.opts.describe?.(next) },
        'reference data reloaded',
      );
    } catch (err) {
      this.opts.logger.error(
        { dir: this.opts.dir, err: errorMessage(err) },
        'reference data reload failed; keeping the previous data',
      );
    }
  }
}

/** sha256 over the folder's regular files (names and contents; symlinks followed, dot-entries skipped): the files are small. */
export async function fingerprintOf(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  for (const name of names) {
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    hash
      .update(`${name}\0`)
      .update(await readFile(path))
      .update('\0');
  }
  return hash.digest('hex');
}
