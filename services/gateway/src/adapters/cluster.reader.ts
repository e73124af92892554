import type { ClusterView } from '@posflow/contracts';
import { toClusterView } from '../domain/cluster-view.js';

export interface ClusterReader {
  view(): Promise<ClusterView>;
}

/**
 * The read-only cluster view: in Kubernetes (KUBERNETES_SERVICE_HOST set)
 * the posflow deployments and pods of `namespace` through the pod's
 * ServiceAccount; elsewhere a plain "not in a cluster" answer. The client
 * library is loaded only in a cluster (it is large and unused elsewhere).
 */
export function createClusterReader(env: { inCluster: boolean; namespace: string; labelSelector?: string }): ClusterReader {
  if (!env.inCluster)
    return {
      view: async () => ({
        inCluster: false,
        message: 'the gateway is not running in Kubernetes (KUBERNETES_SERVICE_HOST is not set)',
      }),
    };
  const selector = env.labelSelector ?? 'app.kubernetes.io/part-of=posflow';
  let apis: Promise<{ apps: import('@kubernetes/client-node').AppsV1Api; core: import('@kubernetes/client-node').CoreV1Api }> | undefined;
  const load = async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromCluster();
    return { apps: kc.makeApiClient(k8s.AppsV1Api), core: kc.makeApiClient(k8s.CoreV1Api) };
  };
  return {
    view: async () => {
      apis ??= load();
      const { apps, core } = await apis;
      const [deps, pods] = await Promise.all([
        apps.listNamespacedDeployment({ namespace: env.namespace, labelSelector: selector }),
        core.listNamespacedPod({ namespace: env.namespace, labelSelector: selector }),
      ]);
      return toClusterView(env.namespace, deps.items, pods.items);
    },
  };
}
