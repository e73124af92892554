import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/dist/support or test/src/support → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHARED_FIXTURES = join(REPO_ROOT, '..', 'shared', 'fixtures');
export const LOG_DIR = join(REPO_ROOT, 'test-results', 'logs');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export async function waitUntil(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await fn()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function httpOk(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return r.ok;
  } catch {
    return false;
  }
}

/** A service started as a real process (`node services/<name>/dist/main.js`). */
export class ServiceProcess {
  child: ChildProcess | undefined;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly main: string,
    readonly env: Record<string, string>,
    readonly opsPort: number,
    /** Working directory; `main` is resolved against it. */
    readonly cwd: string = REPO_ROOT,
  ) {}

  get readyUrl(): string {
    return `http://127.0.0.1:${this.opsPort}/readyz`;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitCode === null && this.exitSignal === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(join(LOG_DIR, `${this.name}.log`), { flags: 'a' });
    this.exitCode = null;
    this.exitSignal = null;
    const child = spawn(process.execPath, [resolve(this.cwd, this.main)], {
      cwd: this.cwd,
      env: { ...process.env, ...this.env, OPS_PORT: String(this.opsPort), OPS_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    this.child = child;
    this.exited = new Promise((res) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        res();
      }),
    );
    await waitUntil(
      `${this.name} ready`,
      async () => {
        if (!this.running)
          throw new Error(
            `${this.name} exited (${this.exitCode ?? this.exitSignal}); see ${LOG_DIR}/${this.name}.log`,
          );
        return httpOk(this.readyUrl);
      },
      timeoutMs,
    ).catch((err: unknown) => {
      if (!this.running)
        throw new Error(
          `${this.name} exited during start (code ${this.exitCode}, signal ${this.exitSignal}); see test-results/logs/${this.name}.log`,
        );
      throw err;
    });
  }

  /** Sends a signal and waits for the process to exit (SIGKILL after `timeoutMs`). */
  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
    timeoutMs = 30_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const started = Date.now();
    if (!this.running || !this.child) return { code: this.exitCode, signal: this.exitSignal, ms: 0 };
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    return { code: this.exitCode, signal: this.exitSignal, ms: Date.now() - started };
  }

  /** Peak resident set size of the running process (kB), from /proc. */
  peakRssKb(): number | undefined {
    return this.child?.pid ? readVmHwm(this.child.pid) : undefined;
  }
}

export function readVmHwm(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
