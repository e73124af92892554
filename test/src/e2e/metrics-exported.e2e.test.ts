import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';
import {
  baseMetricName,
  dashboardExpressions,
  documentedMetrics,
  metricNamesIn,
} from '../k8s/promql-metrics.js';
import { byKind, renderChart } from '../k8s/rendered-objects.js';
import { createWorld, type World } from './synthetic-world.js';

/** Every metric name a service declares on its /metrics (prom-client prints `# TYPE` even before a first sample). */
async function declaredMetrics(opsUrl: string): Promise<Set<string>> {
  const text = await (await fetch(opsUrl)).text();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

/**
 * The Grafana dashboard and the alert rules reference only metrics that the
 * running services really export (scraped from a live stack), so no panel
 * or alert silently watches nothing. `rabbitmq_*` come from RabbitMQ's own
 * prometheus plugin, not from us.
 */
describe('dashboard and alert metrics are exported by the running services', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({
      branches: 1,
      pos: [1],
      from: '2026-01-05',
      to: '2026-01-05',
      orders: 0.2,
      seed: 51,
    });
  });
  afterAll(async () => w?.close());

  test('every referenced metric is declared by some service', async () => {
    const done = await w.waitDone(await w.backfill());
    expect(done.status).toBe('succeeded');
    const exported = new Set<string>();
    for (const svc of w.p.all()) {
      for (const name of await declaredMetrics(svc.readyUrl.replace('/readyz', '/metrics')))
        exported.add(name);
    }
    const documented = documentedMetrics();
    const dashboard = JSON.parse(
      readFileSync(join(REPO_ROOT, 'k8s', 'grafana', 'posflow-dashboard.json'), 'utf8'),
    ) as Parameters<typeof dashboardExpressions>[0];
    const [rule] = byKind(
      renderChart(['metrics.serviceMonitor.enabled=true']),
      'PrometheusRule',
    ) as unknown as Array<{
      spec: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    }>;
    const exprs = [
      ...dashboardExpressions(dashboard),
      ...(rule?.spec.groups.flatMap((g) =>
        g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
      ) ?? []),
    ];
    const missing = new Set<string>();
    let checked = 0;
    for (const { where, expr } of exprs) {
      for (const name of metricNamesIn(expr)) {
        const base = baseMetricName(name, documented);
        if (base.startsWith('rabbitmq_')) continue;
        checked++;
        if (!exported.has(base)) missing.add(`${base} (${where})`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect([...missing]).toEqual([]);
  });
});
