import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './k8s-tools.js';
import { byKind, renderChart } from './rendered-objects.js';

const SERVICES = ['gateway', 'fetcher', 'combiner', 'importer'] as const;

/** Variables a service reads that the chart leaves to their defaults on purpose. */
const NOT_SET_BY_THE_CHART: Record<string, string> = {
  OPS_HOST: 'every interface (0.0.0.0) is right in a pod',
  GATEWAY_HOST: 'every interface (0.0.0.0) is right in a pod',
  POSFLOW_API_KEY: 'a plain key for the local stack; the chart hands over hashed keys (POSFLOW_API_KEYS)',
  KUBERNETES_SERVICE_HOST: 'set by Kubernetes itself',
  PUBLIC_DIR: 'the dashboard files inside the image',
};

/** The variables a service's env.ts reads (its zod schema's keys), loaded as vitest loads any module. */
async function envKeys(service: string): Promise<string[]> {
  const url = pathToFileURL(join(REPO_ROOT, 'services', service, 'src', 'env.ts')).href;
  const mod = (await import(url)) as { Env: { shape: Record<string, unknown> } };
  return Object.keys(mod.Env.shape);
}

/** Optional values (empty by default, rendered only when given) filled in, so their variables show. */
const WITH_OPTIONALS = [
  'fetcher.upstream.userAgent=posflow-test',
  'fetcher.upstream.referer=https://upstream.example/',
  'fetcher.upstream.origin=https://upstream.example',
];

const rendered = new Map<string, ReturnType<typeof renderChart>>();

function containerEnv(service: string, sets: readonly string[] = []): Map<string, string | undefined> {
  const key = sets.join('\n');
  if (!rendered.has(key)) rendered.set(key, renderChart(sets));
  const deployment = byKind(rendered.get(key) ?? [], 'Deployment').find(
    (d) => d.metadata.labels?.['app.kubernetes.io/component'] === service,
  ) as unknown as
    | {
        spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } };
      }
    | undefined;
  const env = deployment?.spec.template.spec.containers[0]?.env ?? [];
  return new Map(env.map((e) => [e.name, e.value]));
}

describe('the chart sets what the services read', () => {
  test.each(SERVICES)(
    'every variable of services/%s/src/env.ts is set (or left out on purpose)',
    async (service) => {
      const set = containerEnv(service, WITH_OPTIONALS);
      const missing = (await envKeys(service)).filter((k) => !set.has(k) && !(k in NOT_SET_BY_THE_CHART));
      expect(missing).toEqual([]);
    },
  );

  test('every service gets the same retry delays and delivery limit (they declare the same queues)', () => {
    for (const name of ['RETRY_DELAYS_MS', 'DELIVERY_LIMIT']) {
      const values = new Set(SERVICES.map((s) => containerEnv(s).get(name)));
      expect(values.size, name).toBe(1);
      expect([...values][0], name).toBeDefined();
    }
  });
});
