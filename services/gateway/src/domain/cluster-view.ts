import type { ClusterView } from '@posflow/contracts';

/** The subset of Kubernetes objects we read (V1Deployment / V1Pod fields). */
export interface DeploymentLike {
  metadata?: { name?: string };
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number };
}
export interface PodLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    startTime?: Date | string;
    containerStatuses?: Array<{ ready?: boolean; restartCount?: number }>;
  };
}

/** Maps deployments and pods to the dashboard's cluster view. */
export function toClusterView(namespace: string, deployments: DeploymentLike[], pods: PodLike[]): ClusterView {
  return {
    inCluster: true,
    namespace,
    deployments: deployments
      .map((d) => ({
        name: d.metadata?.name ?? '',
        desired: d.spec?.replicas ?? 0,
        ready: d.status?.readyReplicas ?? 0,
        available: d.status?.availableReplicas ?? 0,
        updated: d.status?.updatedReplicas ?? 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    pods: pods
      .map((p) => {
        const cs = p.status?.containerStatuses ?? [];
        const labels = p.metadata?.labels ?? {};
        const component = labels['app.kubernetes.io/component'] ?? labels.app;
        const started = p.status?.startTime;
        return {
          name: p.metadata?.name ?? '',
          ...(component ? { component } : {}),
          phase: p.status?.phase ?? 'Unknown',
          ready: cs.length > 0 && cs.every((c) => c.ready === true),
          restarts: cs.reduce((n, c) => n + (c.restartCount ?? 0), 0),
          ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
          ...(started ? { startedAt: new Date(started).toISOString() } : {}),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
