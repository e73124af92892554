#!/usr/bin/env node
// Local stack as plain processes (no Docker): PostgreSQL (FerretDB's backend),
// RabbitMQ, FerretDB, the upstream simulator and the four services.
// `up` starts only what is not already running and records what it started in
// .posflow/stack.json; `down` stops exactly that. Logs: .posflow/logs/.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const STATE_DIR = join(ROOT, '.posflow');
const LOGS = join(STATE_DIR, 'logs');
const STATE_FILE = join(STATE_DIR, 'stack.json');

export const INFRA = Object.freeze({
  amqpUrl: 'amqp://guest:guest@127.0.0.1:5672/',
  managementUrl: 'http://guest:guest@127.0.0.1:15672',
  mongoUrl: 'mongodb://127.0.0.1:27017/posflow',
  postgresUrl: 'postgres://postgres@127.0.0.1:5432/ferretdb',
});

const log = (msg) => process.stderr.write(`[stack] ${msg}\n`);

function readState() {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return { infra: {}, services: {} };
  }
}
function writeState(state) {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((res) => {
    const s = connect({ port, host });
    const done = (ok) => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export async function waitFor(what, fn, timeoutMs = 120_000, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
const have = (cmd) => sh('sh', ['-c', `command -v ${cmd}`]).ok;

let aptUpdated = false;
function aptInstall(...pkgs) {
  log(`installing ${pkgs.join(' ')} from Debian's packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
    aptUpdated = true;
  }
  // policy-rc.d keeps apt from starting the packaged services: we start what we need ourselves.
  execFileSync(
    'sh',
    [
      '-c',
      `printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && apt-get install -y -q ${pkgs.join(' ')}; r=$?; rm -f /usr/sbin/policy-rc.d; exit $r`,
    ],
    { stdio: 'inherit', env },
  );
}

async function ensurePostgres(state) {
  if (!(await portOpen(5432))) {
    if (!existsSync('/etc/postgresql')) aptInstall('postgresql');
    const version = readdirSync('/etc/postgresql')[0];
    log(`starting PostgreSQL ${version}`);
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
      stdio: 'inherit',
    });
    state.infra.postgres = { version };
    await waitFor('PostgreSQL on 5432', () => portOpen(5432), 60_000);
  }
  const q = sh('psql', [
    '-h',
    '127.0.0.1',
    '-U',
    'postgres',
    '-tAc',
    "select 1 from pg_database where datname='ferretdb'",
  ]);
  if (!q.out.includes('1')) {
    const c = sh('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', 'create database ferretdb']);
    if (!c.ok && !c.out.includes('already exists'))
      throw new Error(`cannot create database ferretdb: ${c.out}`);
  }
  // GIN twins of FerretDB's indexes, so its `@>` filters use an index (scripts/ferretdb-gin.sql; idempotent).
  const gin = sh('psql', [
    ...['-h', '127.0.0.1', '-U', 'postgres', '-d', 'ferretdb', '-v', 'ON_ERROR_STOP=1', '-q'],
    ...['-f', join(ROOT, 'scripts/ferretdb-gin.sql')],
  ]);
  if (!gin.ok) throw new Error(`cannot install scripts/ferretdb-gin.sql: ${gin.out}`);
}

async function ensureRabbit(state) {
  if (!(await portOpen(5672))) {
    if (!have('rabbitmq-server')) aptInstall('rabbitmq-server');
    log('starting RabbitMQ');
    execFileSync('rabbitmq-server', ['-detached'], { stdio: 'inherit' });
    state.infra.rabbitmq = true;
    await waitFor('RabbitMQ on 5672', () => portOpen(5672), 120_000);
    sh('rabbitmqctl', ['await_startup']);
  }
  if (!(await portOpen(15672))) {
    log('enabling the RabbitMQ management and prometheus plugins');
    const r = sh('rabbitmq-plugins', ['enable', 'rabbitmq_management', 'rabbitmq_prometheus']);
    if (!r.ok) throw new Error(`rabbitmq-plugins failed: ${r.out}`);
    await waitFor('RabbitMQ management on 15672', () => portOpen(15672), 60_000);
  }
}

function ferretBinary() {
  const gopath = sh('go', ['env', 'GOPATH']).out.trim() || join(homedir(), 'go');
  return join(gopath, 'bin', 'ferretdb');
}

async function ensureFerret(state) {
  if (await portOpen(27017)) return;
  const bin = ferretBinary();
  if (!sh(bin, ['--version']).ok)
    execFileSync('bash', [join(ROOT, 'scripts/install-ferretdb.sh')], { stdio: 'inherit' });
  mkdirSync(join(STATE_DIR, 'ferretdb'), { recursive: true });
  log('starting FerretDB (PostgreSQL backend)');
  const pid = spawnDetached('ferretdb', bin, [
    '--handler=postgresql',
    `--postgresql-url=${INFRA.postgresUrl}`,
    '--listen-addr=127.0.0.1:27017',
    '--debug-addr=127.0.0.1:8089',
    '--telemetry=disable',
    `--state-dir=${join(STATE_DIR, 'ferretdb')}`,
    '--log-level=warn',
  ]);
  state.infra.ferretdb = { pid };
  writeState(state);
  await waitFor('FerretDB on 27017', () => portOpen(27017), 60_000);
}

export function spawnDetached(name, cmd, args, env = {}, cwd = ROOT) {
  mkdirSync(LOGS, { recursive: true });
  const out = openSync(join(LOGS, `${name}.log`), 'a');
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  return child.pid;
}

/** Brings up PostgreSQL, RabbitMQ (+ management) and FerretDB if they are not running. Returns what it started. */
export async function ensureInfra() {
  const state = readState();
  const before = JSON.stringify(state.infra);
  await ensurePostgres(state);
  writeState(state);
  await ensureRabbit(state);
  writeState(state);
  await ensureFerret(state);
  writeState(state);
  return { ...INFRA, startedNow: JSON.stringify(state.infra) !== before };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopPid(pid, name, graceMs = 30_000) {
  if (!pid || !alive(pid)) return;
  log(`stopping ${name} (pid ${pid})`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) {
    log(`${name} did not stop in ${graceMs} ms; killing`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Stops what `up`/`ensureInfra` started, services first. */
export async function down() {
  const state = readState();
  for (const [name, svc] of Object.entries(state.services ?? {}).reverse()) await stopPid(svc.pid, name);
  state.services = {};
  if (state.infra.ferretdb) await stopPid(state.infra.ferretdb.pid, 'ferretdb');
  if (state.infra.rabbitmq) {
    log('stopping RabbitMQ');
    sh('rabbitmqctl', ['stop']);
  }
  if (state.infra.postgres) {
    log('stopping PostgreSQL');
    sh('pg_ctlcluster', ['--skip-systemctl-redirect', state.infra.postgres.version, 'main', 'stop']);
  }
  rmSync(STATE_FILE, { force: true });
}

export { readState, writeState };

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const cmd = process.argv[2];
  const run = async () => {
    if (cmd === 'infra') {
      await ensureInfra();
      log('infrastructure ready');
    } else if (cmd === 'up') {
      const { up } = await import('./stack-services.mjs');
      await ensureInfra();
      await up();
    } else if (cmd === 'down') {
      await down();
      log('stack stopped');
    } else {
      process.stderr.write('usage: stack.mjs up|down|infra\n');
      process.exit(2);
    }
  };
  run().catch((err) => {
    process.stderr.write(`[stack] ${err.message}\n`);
    process.exit(1);
  });
}
