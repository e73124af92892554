import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/src/k8s/ or test/dist/k8s/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHART_DIR = join(REPO_ROOT, 'helm', 'posflow');
/** The Kubernetes version charts are rendered for (helm's default depends on how it was built). */
export const KUBE_VERSION = '1.31.0';

function goBin(): string | undefined {
  try {
    return join(execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim(), 'bin');
  } catch {
    const home = process.env.HOME;
    return home === undefined ? undefined : join(home, 'go', 'bin');
  }
}

/**
 * A required tool's path, from PATH or $(go env GOPATH)/bin. Missing tools
 * fail the test (CI installs them): they are never a reason to skip.
 */
export function requireTool(name: 'helm' | 'promtool'): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), goBin()].filter(
    (d): d is string => d !== undefined && d !== '',
  );
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${name} is not installed (looked in PATH and $(go env GOPATH)/bin): run scripts/install-tools.sh`,
  );
}

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runTool(name: 'helm' | 'promtool', args: readonly string[], cwd = REPO_ROOT): ToolResult {
  const res = spawnSync(requireTool(name), args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** `--set` style overrides; each entry becomes one `--set`. */
export type ValueOverrides = readonly string[];

export function helmTemplate(sets: ValueOverrides = [], valuesFiles: readonly string[] = []): ToolResult {
  const args = ['template', 'posflow', CHART_DIR, '--namespace', 'posflow', '--kube-version', KUBE_VERSION];
  for (const f of valuesFiles) args.push('--values', f);
  for (const s of sets) args.push('--set', s);
  return runTool('helm', args);
}

export function helmLint(sets: ValueOverrides = []): ToolResult {
  const args = ['lint', CHART_DIR, '--strict', '--kube-version', KUBE_VERSION];
  for (const s of sets) args.push('--set', s);
  return runTool('helm', args);
}
