import { parseAllDocuments } from 'yaml';
import { helmTemplate, type ValueOverrides } from './k8s-tools.js';

/** One rendered Kubernetes object, loosely typed: tests narrow what they read. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

export function parseManifests(text: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const o = value as Partial<K8sObject>;
    if (
      typeof o.apiVersion !== 'string' ||
      typeof o.kind !== 'string' ||
      typeof o.metadata?.name !== 'string'
    ) {
      throw new Error(`not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    }
    out.push(o as K8sObject);
  }
  return out;
}

/** Renders the chart and parses every object; a failed render throws with helm's message. */
export function renderChart(sets: ValueOverrides = [], valuesFiles: readonly string[] = []): K8sObject[] {
  const res = helmTemplate(sets, valuesFiles);
  if (res.status !== 0) throw new Error(`helm template failed: ${res.stderr}`);
  return parseManifests(res.stdout);
}

export function byKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The value sets every test renders: the defaults and everything optional switched on. */
export const VALUE_SETS: ReadonlyArray<{ name: string; sets: ValueOverrides }> = [
  { name: 'defaults', sets: [] },
  {
    name: 'keda + monitoring + ingress',
    sets: ['keda.enabled=true', 'metrics.serviceMonitor.enabled=true', 'ingress.enabled=true'],
  },
  {
    name: 'HPA with the queue metric',
    sets: ['fetcher.autoscaling.enabled=true', 'fetcher.autoscaling.queueMetric.enabled=true'],
  },
];
