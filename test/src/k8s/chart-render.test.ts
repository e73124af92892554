import { describe, expect, test } from 'vitest';
import { helmLint, helmTemplate } from './k8s-tools.js';
import { validateAtRuntime, validateFieldNames } from './k8s-models.validator.js';
import { byKind, renderChart, VALUE_SETS } from './rendered-objects.js';

// helm missing fails these tests (requireTool throws): CI runs scripts/install-tools.sh.
describe.each(VALUE_SETS)('helm chart with $name', ({ sets }) => {
  test('helm lint --strict passes', () => {
    const res = helmLint(sets);
    expect(res.stderr + res.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  test('every rendered object is valid for its Kubernetes / KEDA / prometheus-operator schema', async () => {
    const objects = renderChart(sets);
    expect(objects.length).toBeGreaterThan(10);
    expect(await validateAtRuntime(objects)).toEqual([]);
  });

  test('no rendered object has a misspelt or misplaced field', () => {
    expect(validateFieldNames(renderChart(sets))).toEqual([]);
  }, 120_000);
});

describe('what each value set renders', () => {
  test('defaults: four Deployments, Services, ServiceAccounts, PDBs, NetworkPolicies; the daily CronJob; no CRDs', () => {
    const objects = renderChart();
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget']) {
      expect(
        byKind(objects, kind)
          .map((o) => o.metadata.labels?.['app.kubernetes.io/component'])
          .sort(),
        kind,
      ).toEqual(['combiner', 'fetcher', 'gateway', 'importer']);
    }
    expect(byKind(objects, 'NetworkPolicy')).toHaveLength(5);
    expect(byKind(objects, 'CronJob')).toHaveLength(1);
    for (const kind of [
      'ScaledObject',
      'TriggerAuthentication',
      'HorizontalPodAutoscaler',
      'ServiceMonitor',
      'PrometheusRule',
      'Ingress',
    ]) {
      expect(byKind(objects, kind), kind).toHaveLength(0);
    }
  });

  test('keda + monitoring + ingress: ScaledObject on the fetch queue, four ServiceMonitors, alerts, Ingress with TLS', () => {
    const objects = renderChart(VALUE_SETS[1]!.sets);
    const [scaled] = byKind(objects, 'ScaledObject') as unknown as Array<{
      spec: {
        scaleTargetRef: { name: string };
        triggers: Array<{
          type: string;
          metadata: Record<string, string>;
          authenticationRef: { name: string };
        }>;
      };
    }>;
    expect(scaled?.spec.scaleTargetRef.name).toBe('posflow-fetcher');
    expect(scaled?.spec.triggers[0]).toMatchObject({
      type: 'rabbitmq',
      metadata: { queueName: 'posflow.fetch', mode: 'QueueLength' },
    });
    const [auth] = byKind(objects, 'TriggerAuthentication');
    expect(auth?.metadata.name).toBe(scaled?.spec.triggers[0]?.authenticationRef.name);
    // The scaler owns the fetcher's replica count.
    const fetcher = byKind(objects, 'Deployment').find((d) => d.metadata.name === 'posflow-fetcher') as
      | { spec: { replicas?: number } }
      | undefined;
    expect(fetcher?.spec.replicas).toBeUndefined();
    expect(byKind(objects, 'ServiceMonitor')).toHaveLength(4);
    expect(byKind(objects, 'PrometheusRule')).toHaveLength(1);
    const [ingress] = byKind(objects, 'Ingress') as unknown as Array<{
      spec: {
        tls: unknown[];
        rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }>;
      };
    }>;
    expect(ingress?.spec.tls.length).toBeGreaterThan(0);
    expect(ingress?.spec.rules[0]?.http.paths[0]?.backend.service.name).toBe('posflow-gateway');
  });

  test('HPA: CPU plus the fetch queue depth as an External metric', () => {
    const [hpa] = byKind(renderChart(VALUE_SETS[2]!.sets), 'HorizontalPodAutoscaler') as unknown as Array<{
      spec: { metrics: Array<{ type: string; external?: { metric: { name: string } } }> };
    }>;
    expect(hpa?.spec.metrics.map((m) => m.type)).toEqual(['Resource', 'External']);
    expect(hpa?.spec.metrics[1]?.external?.metric.name).toBe('posflow_queue_messages');
  });

  test('the dashboard ConfigMap carries the Grafana sidecar label and the dashboard JSON', () => {
    const cm = byKind(renderChart(), 'ConfigMap').find(
      (c) => c.metadata.name === 'posflow-dashboard',
    ) as unknown as { data: Record<string, string> } & { metadata: { labels: Record<string, string> } };
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    expect((JSON.parse(cm.data['posflow-dashboard.json']!) as { uid: string }).uid).toBe('posflow-overview');
  });

  test('the daily CronJob runs the CLI against the gateway Service, Asia/Manila, never overlapping', () => {
    const [cron] = byKind(renderChart(), 'CronJob') as unknown as Array<{
      spec: {
        schedule: string;
        timeZone: string;
        concurrencyPolicy: string;
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: Array<{ args: string[]; env: Array<{ name: string; value?: string }> }> };
            };
          };
        };
      };
    }>;
    expect(cron?.spec).toMatchObject({
      schedule: '0 2 * * *',
      timeZone: 'Asia/Manila',
      concurrencyPolicy: 'Forbid',
    });
    const container = cron?.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container?.args).toEqual(['services/gateway/dist/cli/main.js', 'daily', '--rescan-days', '7']);
    expect(container?.env.find((e) => e.name === 'POSFLOW_GATEWAY_URL')?.value).toBe(
      'http://posflow-gateway:80',
    );
  });

  test('reference.existingConfigMap replaces the chart-managed reference ConfigMap', () => {
    const objects = renderChart(['reference.existingConfigMap=my-reference']);
    expect(byKind(objects, 'ConfigMap').map((c) => c.metadata.name)).not.toContain('posflow-reference');
    const combiner = byKind(objects, 'Deployment').find((d) => d.metadata.name === 'posflow-combiner');
    expect(JSON.stringify(combiner)).toContain('"name":"my-reference"');
  });

  test('helm template fails clearly when both autoscalers are enabled', () => {
    const res = helmTemplate(['keda.enabled=true', 'fetcher.autoscaling.enabled=true']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('enable one');
  });
});

describe('the validators themselves', () => {
  const deployment = (container: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { spec: { containers: [{ name: 'c', image: 'i', ...container }] } },
    },
  });

  test('catch a misspelt field (TypeScript excess-property check)', () => {
    const problems = validateFieldNames([deployment({ readinesProbe: {} })]);
    expect(problems.join('\n')).toMatch(/readinesProbe/);
  }, 120_000);

  test('catch an invalid value (run-time schema)', async () => {
    const problems = await validateAtRuntime([deployment({ resources: { limits: { cpu: 'lots' } } })]);
    expect(problems.join('\n')).toMatch(/quantity/);
  });
});
