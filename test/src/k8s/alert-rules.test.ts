import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { runTool } from './k8s-tools.js';
import { byKind, renderChart } from './rendered-objects.js';

// promtool missing fails these tests (requireTool throws): CI runs scripts/install-tools.sh.
const dir = mkdtempSync(join(tmpdir(), 'posflow-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Renders the chart's PrometheusRule and writes its spec (a plain Prometheus rule file). */
function writeRules(values: Record<string, unknown> = {}): string {
  const valuesFile = join(dir, `values-${++files}.yaml`);
  writeFileSync(valuesFile, stringify(values));
  const [rule] = byKind(
    renderChart(['metrics.serviceMonitor.enabled=true'], [valuesFile]),
    'PrometheusRule',
  ) as unknown as Array<{ spec: unknown }>;
  if (rule === undefined) throw new Error('no PrometheusRule rendered');
  const file = join(dir, `rules-${files}.yaml`);
  writeFileSync(file, stringify(rule.spec));
  return file;
}

describe('PrometheusRule', () => {
  test('passes promtool check rules', () => {
    const res = runTool('promtool', ['check', 'rules', writeRules()]);
    expect(res.stdout + res.stderr).toMatch(/SUCCESS: 6 rules found/);
    expect(res.status, res.stderr).toBe(0);
  });

  test('fires as intended on synthetic series (promtool test rules)', () => {
    const rules = writeRules();
    // promtool compares annotations too: they are part of what an operator reads.
    const annotations: Record<string, (l: Record<string, string>) => Record<string, string>> = {
      PosflowUpstreamBreakerOpen: () => ({
        summary: 'The upstream circuit breaker is open',
        description:
          'The fetcher stopped calling the POS export server after repeated failures; fetching resumes when a trial request succeeds.',
      }),
      PosflowYesterdayNotLoaded: () => ({
        summary: "Yesterday's POS data is not loaded",
        description:
          "By 6:00 Asia/Manila yesterday's coverage is below 0.01 (or unknown); check the daily CronJob and the dashboard.",
      }),
      PosflowStageFailing: (l) => ({
        summary: `Stage ${l.stage} is failing`,
        description: `50% of ${l.stage} messages are retried or dead-lettered.`,
      }),
      PosflowQueueNotDraining: (l) => ({
        summary: `Queue ${l.queue} is not draining`,
        description: `${l.queue} has had messages for 1h without shrinking; are its consumers running?`,
      }),
      PosflowDeadLettersGrowing: (l) => ({
        summary: `Dead letters growing in stage ${l.stage}`,
        description: `Messages of stage ${l.stage} were dead-lettered in the last 30m; inspect posflow.${l.stage}.dead.`,
      }),
    };
    const alert = (name: string, labels: Record<string, string>) => ({
      exp_labels: labels,
      exp_annotations: annotations[name]!(labels),
    });
    const tests = {
      rule_files: [rules],
      evaluation_interval: '1m',
      tests: [
        {
          name: 'breaker open for 10m',
          interval: '1m',
          input_series: [
            { series: 'posflow_upstream_breaker_state{service="fetcher",pod="f-1"}', values: '2x30' },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'PosflowUpstreamBreakerOpen', exp_alerts: [] },
            {
              eval_time: '15m',
              alertname: 'PosflowUpstreamBreakerOpen',
              exp_alerts: [alert('PosflowUpstreamBreakerOpen', { severity: 'warning' })],
            },
          ],
        },
        {
          // t=0 is 00:00 UTC = 08:00 Asia/Manila; 17:00 UTC = 01:00 Manila, before the 06:00 deadline.
          name: 'yesterday not loaded: only after 06:00 Manila, and not once loaded',
          interval: '1m',
          input_series: [
            { series: 'posflow_yesterday_coverage_ratio{service="gateway",pod="g-1"}', values: '0x1100' },
          ],
          alert_rule_test: [
            {
              eval_time: '30m',
              alertname: 'PosflowYesterdayNotLoaded',
              exp_alerts: [alert('PosflowYesterdayNotLoaded', { severity: 'critical' })],
            },
            { eval_time: '17h', alertname: 'PosflowYesterdayNotLoaded', exp_alerts: [] },
          ],
        },
        {
          name: 'yesterday loaded',
          interval: '1m',
          input_series: [
            { series: 'posflow_yesterday_coverage_ratio{service="gateway",pod="g-1"}', values: '1x60' },
          ],
          alert_rule_test: [{ eval_time: '45m', alertname: 'PosflowYesterdayNotLoaded', exp_alerts: [] }],
        },
        {
          name: 'half of the fetch messages retried',
          interval: '1m',
          input_series: [
            {
              series: 'posflow_messages_total{service="fetcher",stage="fetch",outcome="ack"}',
              values: '0+1x60',
            },
            {
              series: 'posflow_messages_total{service="fetcher",stage="fetch",outcome="retry"}',
              values: '0+1x60',
            },
            {
              series: 'posflow_messages_total{service="importer",stage="import",outcome="ack"}',
              values: '0+10x60',
            },
          ],
          alert_rule_test: [
            {
              eval_time: '45m',
              alertname: 'PosflowStageFailing',
              exp_alerts: [alert('PosflowStageFailing', { severity: 'warning', stage: 'fetch' })],
            },
          ],
        },
        {
          name: 'fetch queue stuck, import queue draining',
          interval: '1m',
          input_series: [
            { series: 'posflow_queue_messages{service="gateway",queue="posflow.fetch"}', values: '5x120' },
            {
              series: 'posflow_queue_messages{service="gateway",queue="posflow.import"}',
              values: '120-1x120',
            },
          ],
          alert_rule_test: [
            {
              eval_time: '90m',
              alertname: 'PosflowQueueNotDraining',
              exp_alerts: [
                alert('PosflowQueueNotDraining', {
                  severity: 'warning',
                  service: 'gateway',
                  queue: 'posflow.fetch',
                }),
              ],
            },
          ],
        },
        {
          name: 'dead letters growing',
          interval: '1m',
          input_series: [
            { series: 'posflow_dead_letter_messages{service="gateway",stage="combine"}', values: '0+1x60' },
          ],
          alert_rule_test: [
            {
              eval_time: '40m',
              alertname: 'PosflowDeadLettersGrowing',
              exp_alerts: [alert('PosflowDeadLettersGrowing', { severity: 'warning', stage: 'combine' })],
            },
          ],
        },
      ],
    };
    const file = join(dir, 'rules.test.yaml');
    writeFileSync(file, stringify(tests));
    const res = runTool('promtool', ['test', 'rules', file]);
    expect(res.stdout + res.stderr).toMatch(/SUCCESS/);
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  test('the rules follow their values (window, hour, ratio)', () => {
    const file = writeRules({
      metrics: {
        prometheusRule: {
          yesterdayNotLoaded: { byHourManila: 9 },
          stageFailing: { ratio: 0.5, window: '30m' },
        },
      },
    });
    const res = runTool('promtool', ['check', 'rules', file]);
    expect(res.status, res.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('% 24) >= 9');
    expect(text).toContain('> 0.5');
    expect(text).toContain('posflow_messages_total[30m]');
  });
});
