import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './k8s-tools.js';

export interface MetricRow {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  labels: string[];
  service: string;
}

/** The table in docs/metrics.md: the metrics our services export. */
export function documentedMetrics(path = join(REPO_ROOT, 'docs', 'metrics.md')): Map<string, MetricRow> {
  const rows = new Map<string, MetricRow>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m =
      /^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*(counter|gauge|histogram|summary)\s*\|([^|]*)\|([^|]*)\|/.exec(
        line,
      );
    if (m === null) continue;
    const labels = m[3]!
      .replace(/\([^)]*\)/g, '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    rows.set(m[1]!, { name: m[1]!, type: m[2] as MetricRow['type'], labels, service: m[4]!.trim() });
  }
  return rows;
}

const NOT_METRICS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * Metric names a PromQL expression reads. Strings, label matchers, ranges and
 * grouping lists are removed first; what remains that is not a function call,
 * keyword or number is a metric name.
 */
export function metricNamesIn(expr: string): string[] {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  s = s.replace(/\{[^}]*\}/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of s.matchAll(/(?<![A-Za-z0-9_:.$])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    if (m[2] !== undefined) continue;
    if (NOT_METRICS.has(m[1]!.toLowerCase())) continue;
    names.add(m[1]!);
  }
  return [...names];
}

/** A histogram's series (`_bucket`, `_sum`, `_count`) map back to its documented base name. */
export function baseMetricName(name: string, documented: ReadonlyMap<string, MetricRow>): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m !== null && documented.get(m[1]!)?.type === 'histogram') return m[1]!;
  return name;
}

interface DashboardPanel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: DashboardPanel[];
}
interface Dashboard {
  panels: DashboardPanel[];
  templating?: { list: Array<{ name: string; definition?: string; query?: string | { query?: string } }> };
}

/** Every PromQL expression of a Grafana dashboard (panel targets and query variables). */
export function dashboardExpressions(dashboard: Dashboard): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  const walk = (panels: readonly DashboardPanel[]): void => {
    for (const p of panels) {
      for (const t of p.targets ?? [])
        if (t.expr !== undefined) out.push({ where: `panel "${p.title ?? '?'}"`, expr: t.expr });
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const v of dashboard.templating?.list ?? []) {
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    // label_values(metric, label) reads a metric too.
    const lv = q === undefined ? null : /label_values\(\s*([^,)]+)/.exec(q);
    if (lv !== null) out.push({ where: `variable ${v.name}`, expr: lv[1]! });
  }
  return out;
}
