import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHART_DIR, helmTemplate } from './k8s-tools.js';

// values.schema.json is enforced by helm itself (template, lint, install).
describe('values.schema.json', () => {
  test('is valid JSON and closes the top level and every service block', () => {
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as {
      additionalProperties: boolean;
      properties: Record<string, { additionalProperties?: boolean }>;
    };
    expect(schema.additionalProperties).toBe(false);
    for (const svc of ['gateway', 'fetcher', 'combiner', 'importer'])
      expect(schema.properties[svc]?.additionalProperties, svc).toBe(false);
  });

  test.each([
    ['an unknown top-level key', 'replicaCount=3', /Additional property replicaCount is not allowed/],
    ['a misspelt service key', 'fetcher.prefech=4', /Additional property prefech is not allowed/],
    ['a prefetch of 0', 'fetcher.prefetch=0', /fetcher.prefetch: Must be greater than or equal to 1/],
    ['an unknown pull policy', 'gateway.image.pullPolicy=Sometimes', /pullPolicy/],
    ['a non-http upstream URL', 'fetcher.upstream.baseUrl=ftp://x/', /baseUrl/],
    ['a log level pino does not know', 'importer.logLevel=verbose', /logLevel/],
    ['an hour outside 0..23', 'metrics.prometheusRule.yesterdayNotLoaded.byHourManila=24', /byHourManila/],
    ['a KEDA protocol the scaler does not know', 'keda.protocol=mqtt', /protocol/],
  ])('rejects %s', (_what, set, message) => {
    const res = helmTemplate([set]);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/values don't meet the specifications of the schema/);
    expect(res.stderr).toMatch(message);
  });

  test('rejects a service without resource limits', () => {
    const res = helmTemplate(['combiner.resources.limits=null']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/limits/);
  });

  test('the chart refuses a grace period shorter than SHUTDOWN_TIMEOUT_MS', () => {
    const res = helmTemplate([
      'combiner.terminationGracePeriodSeconds=60',
      'combiner.shutdownTimeoutMs=120000',
    ]);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain(
      'combiner.terminationGracePeriodSeconds (60s) must be longer than combiner.shutdownTimeoutMs (120000ms)',
    );
  });

  test('accepts the dev values', () => {
    const dev = join(CHART_DIR, '..', '..', 'k8s', 'dev', 'values');
    const res = helmTemplate([], [join(dev, 'values-dev.yaml'), join(dev, 'values-reference.yaml')]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
