import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHART_DIR, REPO_ROOT } from './k8s-tools.js';
import { baseMetricName, dashboardExpressions, documentedMetrics, metricNamesIn } from './promql-metrics.js';
import { byKind, renderChart } from './rendered-objects.js';

const DASHBOARD = join(REPO_ROOT, 'k8s', 'grafana', 'posflow-dashboard.json');
const CHART_COPY = join(CHART_DIR, 'dashboards', 'posflow-dashboard.json');

// The conventions' metric list; docs/metrics.md must keep documenting each of them.
const CONVENTION_METRICS = [
  'posflow_messages_total',
  'posflow_message_duration_seconds',
  'posflow_messages_in_flight',
  'posflow_amqp_connected',
  'posflow_mongo_connected',
  'posflow_upstream_requests_total',
  'posflow_upstream_errors_total',
  'posflow_upstream_bytes_total',
  'posflow_upstream_download_seconds',
  'posflow_upstream_in_flight',
  'posflow_upstream_breaker_state',
  'posflow_combine_rows_total',
  'posflow_combine_dropped_rows_total',
  'posflow_import_rows_total',
  'posflow_import_batch_seconds',
  'posflow_partitions_loaded_total',
  'posflow_http_requests_total',
  'posflow_http_request_duration_seconds',
  'posflow_partitions',
  'posflow_yesterday_coverage_ratio',
  'posflow_queue_messages',
  'posflow_dead_letter_messages',
  'posflow_monitor_open_entries',
];

function ruleExpressions(): Array<{ where: string; expr: string }> {
  const [rule] = byKind(
    renderChart(['metrics.serviceMonitor.enabled=true']),
    'PrometheusRule',
  ) as unknown as Array<{ spec: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> } }>;
  if (rule === undefined) throw new Error('no PrometheusRule rendered');
  return rule.spec.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })));
}

describe('metric names in the dashboard and the alert rules', () => {
  const documented = documentedMetrics();

  test('docs/metrics.md documents every metric of the service conventions', () => {
    for (const m of CONVENTION_METRICS) expect(documented.has(m), m).toBe(true);
  });

  test('the PromQL scanner finds metrics and ignores functions, labels, keywords and ranges', () => {
    expect(
      metricNamesIn(
        'sum by (stage) (rate(posflow_messages_total{outcome=~"retry|dead", x="a_b"}[5m])) / on() group_left foo_bar > 0.2 and on() hour() >= 6',
      ).sort(),
    ).toEqual(['foo_bar', 'posflow_messages_total']);
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket{namespace=~"$namespace"}[$__rate_interval])))',
      ),
    ).toEqual(['x_seconds_bucket']);
  });

  test('the dashboard and every alert rule use documented metrics only', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Parameters<
      typeof dashboardExpressions
    >[0];
    const exprs = [...dashboardExpressions(dashboard), ...ruleExpressions()];
    expect(exprs.length).toBeGreaterThan(20);
    const unknown: string[] = [];
    const used = new Set<string>();
    for (const { where, expr } of exprs) {
      for (const name of metricNamesIn(expr)) {
        const base = baseMetricName(name, documented);
        used.add(base);
        if (!documented.has(base)) unknown.push(`${where}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
    // The dashboard covers the panels: per-stage throughput, queues, errors, fetch latency, partitions, coverage.
    for (const m of [
      'posflow_messages_total',
      'posflow_queue_messages',
      'posflow_upstream_errors_total',
      'posflow_upstream_download_seconds',
      'posflow_partitions_loaded_total',
      'posflow_yesterday_coverage_ratio',
    ]) {
      expect(used.has(m), m).toBe(true);
    }
  });

  test('label names used in grouping exist on the documented metric', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Parameters<
      typeof dashboardExpressions
    >[0];
    // Labels Prometheus or the scrape adds, and the le of histogram buckets.
    const added = new Set(['service', 'namespace', 'pod', 'instance', 'job', 'le']);
    for (const { where, expr } of [...dashboardExpressions(dashboard), ...ruleExpressions()]) {
      const names = metricNamesIn(expr)
        .map((n) => documented.get(baseMetricName(n, documented)))
        .filter((r) => r !== undefined);
      if (names.length !== 1) continue;
      for (const g of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of g[1]!
          .split(',')
          .map((l) => l.trim())
          .filter((l) => l !== '')) {
          expect(
            added.has(label) || names[0]!.labels.includes(label),
            `${where}: ${label} on ${names[0]!.name}`,
          ).toBe(true);
        }
      }
    }
  });
});

describe('Grafana dashboard', () => {
  test('parses, has a datasource variable and unique panel ids', () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      uid: string;
      panels: Array<{ id: number; type: string }>;
      templating: { list: Array<{ type: string }> };
    };
    expect(d.uid).toBe('posflow-overview');
    expect(d.templating.list.some((v) => v.type === 'datasource')).toBe(true);
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(d.panels.filter((p) => p.type !== 'row').length).toBeGreaterThan(15);
  });

  test('the chart ships exactly k8s/grafana/posflow-dashboard.json (copy in helm/posflow/dashboards/)', () => {
    // helm's .Files.Get cannot reach outside the chart, so the chart keeps a copy; this test keeps them identical.
    expect(
      readFileSync(CHART_COPY, 'utf8'),
      'run: cp k8s/grafana/posflow-dashboard.json helm/posflow/dashboards/',
    ).toBe(readFileSync(DASHBOARD, 'utf8'));
  });
});
