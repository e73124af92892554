#!/usr/bin/env node
// `pnpm demo`: the main job on the embedded default data. Generates a month of
// realistic exports for a handful of branches (or serves UPSTREAM_DIR), brings
// up the whole stack as local processes, enqueues the backfill through the
// gateway and follows it with a live progress bar, then prints a summary and
// the dashboard URL. Leaves the stack running (`pnpm stack:down` stops it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInfra, ROOT } from './stack.mjs';
import { up } from './stack-services.mjs';

const log = (msg) => process.stderr.write(`[demo] ${msg}\n`);

function previousMonth() {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return [first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}

const [defFrom, defTo] = previousMonth();
const from = process.env.DEMO_FROM ?? defFrom;
const to = process.env.DEMO_TO ?? defTo;
const branchCount = Number(process.env.DEMO_BRANCHES ?? 5);
const apiKey = process.env.POSFLOW_API_KEY ?? 'posflow-local-dev-key';
const gatewayPort = process.env.GATEWAY_PORT ?? '8080';

if (!existsSync(join(ROOT, 'services/gateway/dist/main.js'))) {
  log('building');
  execFileSync('pnpm', ['build'], { cwd: ROOT, stdio: 'inherit' });
}

let upstreamDir = process.env.UPSTREAM_DIR;
let referenceDir = process.env.REFERENCE_DIR;
let branches;
if (upstreamDir) {
  referenceDir ??= join(ROOT, '..', 'shared', 'fixtures', 'reference');
  if (!existsSync(join(referenceDir, 'branches.txt'))) {
    log(`REFERENCE_DIR ${referenceDir} has no branches.txt; set REFERENCE_DIR to the folder with the branch lists and clean-up tables`);
    process.exit(2);
  }
  branches = process.env.DEMO_BRANCH_LIST?.split(',');
} else {
  const demoDir = join(ROOT, '.posflow', 'demo');
  upstreamDir = join(demoDir, 'exports');
  referenceDir = join(demoDir, 'reference');
  const marker = join(demoDir, 'dataset.json');
  const wanted = { from, to, branches: branchCount, seed: 2026 };
  const have = existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : undefined;
  if (JSON.stringify(have?.params) !== JSON.stringify(wanted)) {
    log(`generating ${branchCount} branches × POS 1-2 × ${from}..${to} of synthetic exports`);
    mkdirSync(demoDir, { recursive: true });
    execFileSync('rm', ['-rf', upstreamDir, referenceDir]);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'packages/synth/dist/cli.js'), '--out', upstreamDir, '--from', from, '--to', to, '--branches', String(branchCount), '--pos', '1,2', '--seed', '2026', '--edge-cases', '--reference', referenceDir, '--summary', join(demoDir, 'summary.json')],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (r.status !== 0) process.exit(r.status ?? 1);
    writeFileSync(marker, JSON.stringify({ params: wanted }));
  }
  branches = readFileSync(join(referenceDir, 'branches.txt'), 'utf8').split(/\r?\n/).filter(Boolean);
}

log('bringing up RabbitMQ, FerretDB and the services');
await ensureInfra();
await up({ ...process.env, UPSTREAM_DIR: upstreamDir, REFERENCE_DIR: referenceDir, POSFLOW_API_KEY: apiKey, GATEWAY_PORT: gatewayPort });

const cliArgs = ['backfill', '--from', from, '--to', to, '--pos', '1,2', '--watch'];
if (branches?.length) cliArgs.push('--branches', branches.join(','));
log(`enqueueing the backfill: posflow ${cliArgs.join(' ')}`);
const started = Date.now();
const cli = spawnSync(process.execPath, [join(ROOT, 'services/gateway/dist/cli/main.js'), ...cliArgs], {
  stdio: 'inherit',
  env: { ...process.env, POSFLOW_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`, POSFLOW_API_KEY: apiKey },
});
const secs = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `\nDashboard: http://127.0.0.1:${gatewayPort}/  (API key: ${apiKey})\n` +
    `Backfill finished in ${secs} s. The stack keeps running; stop it with: pnpm stack:down\n`,
);
process.exit(cli.status ?? 1);
