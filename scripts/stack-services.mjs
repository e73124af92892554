// The application processes of the local stack; see stack.mjs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA, ROOT, readState, spawnDetached, waitFor, writeState } from './stack.mjs';

const log = (msg) => process.stderr.write(`[stack] ${msg}\n`);

/** Every process of the local stack, in start order. Only built ones are started. */
export function serviceDefinitions(env = process.env) {
  const common = {
    AMQP_URL: INFRA.amqpUrl,
    MONGO_URL: env.MONGO_URL ?? INFRA.mongoUrl,
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    OPS_HOST: '127.0.0.1',
  };
  const upstreamPort = Number(env.UPSTREAM_PORT ?? 8090);
  const referenceDir = env.REFERENCE_DIR ?? defaultReferenceDir();
  return [
    {
      name: 'upstream-sim',
      main: 'test/dist/upstream-sim/main.js',
      opsPort: upstreamPort,
      ready: '/__admin/stats',
      env: { UPSTREAM_PORT: String(upstreamPort), UPSTREAM_DIR: env.UPSTREAM_DIR ?? '' },
    },
    { name: 'importer', main: 'services/importer/dist/main.js', opsPort: 9403, env: { ...common } },
    {
      name: 'combiner',
      main: 'services/combiner/dist/main.js',
      opsPort: 9402,
      env: { ...common, REFERENCE_DIR: referenceDir, TMP_DIR: join(ROOT, '.posflow/tmp') },
    },
    {
      name: 'fetcher',
      main: 'services/fetcher/dist/main.js',
      opsPort: 9401,
      env: {
        ...common,
        UPSTREAM_BASE_URL:
          env.UPSTREAM_BASE_URL ?? `http://127.0.0.1:${upstreamPort}/biggsinc_loyalty/controller/`,
      },
    },
    {
      name: 'gateway',
      main: 'services/gateway/dist/main.js',
      opsPort: 9400,
      env: {
        ...common,
        GATEWAY_PORT: env.GATEWAY_PORT ?? '8080',
        REFERENCE_DIR: referenceDir,
        RABBITMQ_MANAGEMENT_URL: INFRA.managementUrl,
        POSFLOW_API_KEY: env.POSFLOW_API_KEY ?? 'posflow-local-dev-key',
      },
    },
  ];
}

export function defaultReferenceDir() {
  const shared = join(ROOT, '..', 'shared', 'fixtures', 'reference');
  return existsSync(shared) ? shared : join(ROOT, '.posflow', 'reference');
}

async function httpOk(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch {
    return false;
  }
}

export async function up(env = process.env) {
  const state = readState();
  state.services ??= {};
  for (const def of serviceDefinitions(env)) {
    if (!existsSync(join(ROOT, def.main))) {
      log(`${def.name}: not built yet (${def.main}), skipped`);
      continue;
    }
    const readyUrl = `http://127.0.0.1:${def.opsPort}${def.ready ?? '/readyz'}`;
    if (await httpOk(readyUrl)) {
      log(`${def.name}: already running`);
      continue;
    }
    const pid = spawnDetached(def.name, process.execPath, [join(ROOT, def.main)], {
      ...def.env,
      OPS_PORT: String(def.opsPort),
    });
    state.services[def.name] = { pid, opsPort: def.opsPort };
    writeState(state);
    log(`${def.name}: started (pid ${pid})`);
  }
  for (const def of serviceDefinitions(env)) {
    if (!state.services[def.name]) continue;
    await waitFor(
      `${def.name} ready`,
      () => httpOk(`http://127.0.0.1:${def.opsPort}${def.ready ?? '/readyz'}`),
      120_000,
    );
  }
  log('stack ready');
}
