import { describe, expect, test } from 'vitest';
import { byKind, renderChart, VALUE_SETS, type K8sObject } from './rendered-objects.js';

interface SecurityContext {
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type?: string };
}
interface Container {
  name: string;
  image: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  securityContext?: SecurityContext;
  env?: Array<{ name: string; value?: string }>;
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: unknown[];
}

function podSpec(o: K8sObject): PodSpec | undefined {
  const spec = o.spec as
    | { template?: { spec: PodSpec }; jobTemplate?: { spec: { template: { spec: PodSpec } } } }
    | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec.template.spec;
}

const workloads = (objects: readonly K8sObject[]): K8sObject[] =>
  objects.filter((o) => podSpec(o) !== undefined);

// Our policy for every container the chart runs (docs/kubernetes.md).
describe.each(VALUE_SETS)('policy with $name', ({ sets }) => {
  const objects = renderChart(sets);

  test('every container has cpu and memory requests and limits', () => {
    for (const w of workloads(objects)) {
      for (const c of podSpec(w)!.containers) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        expect(Object.keys(c.resources?.requests ?? {}).sort(), where).toEqual(
          expect.arrayContaining(['cpu', 'memory']),
        );
        expect(Object.keys(c.resources?.limits ?? {}).sort(), where).toEqual(
          expect.arrayContaining(['cpu', 'memory']),
        );
      }
    }
  });

  test('every long-running container has an HTTP liveness (/healthz) and readiness (/readyz) probe on the ops port', () => {
    for (const d of byKind(objects, 'Deployment')) {
      for (const c of podSpec(d)!.containers) {
        const where = `${d.metadata.name}/${c.name}`;
        expect(c.livenessProbe?.httpGet, where).toEqual({ path: '/healthz', port: 'ops' });
        expect(c.readinessProbe?.httpGet, where).toEqual({ path: '/readyz', port: 'ops' });
      }
    }
  });

  test('every container runs as non-root, read-only root fs, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    for (const w of workloads(objects)) {
      const pod = podSpec(w)!;
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        const sc = c.securityContext ?? {};
        expect(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, where).toBe(true);
        expect(sc.readOnlyRootFilesystem, where).toBe(true);
        expect(sc.allowPrivilegeEscalation, where).toBe(false);
        expect(sc.capabilities?.drop, where).toContain('ALL');
        expect(sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type, where).toBe(
          'RuntimeDefault',
        );
      }
    }
  });

  test("the grace period outlasts each service's SHUTDOWN_TIMEOUT_MS", () => {
    for (const d of byKind(objects, 'Deployment')) {
      const pod = podSpec(d)!;
      const timeout = Number(pod.containers[0]?.env?.find((e) => e.name === 'SHUTDOWN_TIMEOUT_MS')?.value);
      expect(timeout, d.metadata.name).toBeGreaterThan(0);
      expect((pod.terminationGracePeriodSeconds ?? 30) * 1000, d.metadata.name).toBeGreaterThan(timeout);
    }
  });

  test('every Deployment has a PodDisruptionBudget, topology spread and a NetworkPolicy selecting its pods', () => {
    const selects = (kind: string, d: K8sObject): boolean =>
      byKind(objects, kind).some((p) => {
        const sel =
          (
            p.spec as {
              selector?: { matchLabels: Record<string, string> };
              podSelector?: { matchLabels: Record<string, string> };
            }
          ).selector ?? (p.spec as { podSelector?: { matchLabels: Record<string, string> } }).podSelector;
        const labels = (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template
          .metadata.labels;
        return sel !== undefined && Object.entries(sel.matchLabels).every(([k, v]) => labels[k] === v);
      });
    for (const d of byKind(objects, 'Deployment')) {
      expect(selects('PodDisruptionBudget', d), `${d.metadata.name} PDB`).toBe(true);
      expect(selects('NetworkPolicy', d), `${d.metadata.name} NetworkPolicy`).toBe(true);
      expect(podSpec(d)!.topologySpreadConstraints?.length, `${d.metadata.name} spread`).toBeGreaterThan(0);
    }
  });

  test('images are pinned to a tag and credentials only come from Secrets', () => {
    for (const w of workloads(objects)) {
      for (const c of podSpec(w)!.containers) {
        expect(c.image, c.name).toMatch(/:[\w.-]+$/);
        for (const e of c.env ?? []) {
          if (/URL|KEY|PASS|SECRET/.test(e.name) && e.value !== undefined) {
            expect(e.value, `${w.metadata.name} ${e.name}`).not.toMatch(/\/\/[^/@\s]+:[^/@\s]+@/);
          }
        }
      }
    }
    expect(byKind(objects, 'Secret')).toEqual([]);
  });
});

test('only the gateway mounts a service-account token, and its Role is read-only', () => {
  const objects = renderChart();
  for (const d of byKind(objects, 'Deployment')) {
    const automount = (podSpec(d) as PodSpec & { automountServiceAccountToken?: boolean })
      .automountServiceAccountToken;
    expect(automount, d.metadata.name).toBe(d.metadata.name === 'posflow-gateway');
  }
  const [role] = byKind(objects, 'Role') as unknown as Array<{
    rules: Array<{ resources: string[]; verbs: string[] }>;
  }>;
  expect(role?.rules.flatMap((r) => r.resources).sort()).toEqual(['deployments', 'pods']);
  for (const r of role?.rules ?? []) expect(r.verbs.sort()).toEqual(['get', 'list', 'watch']);
});
