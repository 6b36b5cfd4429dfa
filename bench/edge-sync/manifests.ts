/**
 * The objects the edge-sync benchmark writes. Pods are bound to a node directly (spec.nodeName),
 * as the scheduler would leave them, and are small but realistic: one container with an image,
 * a port and resources. A label carries a generation the benchmark bumps on every relabel.
 */
export const GENERATION_LABEL = 'bench.outpost.dev/generation';
export const RUN_LABEL = 'bench.outpost.dev/run';

/** The configmaps a pod references: one through env valueFrom, one as a volume. */
export interface ConfigMapRefs {
  env: string;
  volume: string;
}

export function namespaceBody(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [RUN_LABEL]: 'edge-sync' } } });
}

export function boundPodBody(name: string, nodeName: string, refs?: ConfigMapRefs): string {
  const container: Record<string, unknown> = {
    name: 'app',
    image: 'registry.local/bench/app:1.0',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
  };
  const spec: Record<string, unknown> = { nodeName, containers: [container], restartPolicy: 'Always' };
  if (refs !== undefined) {
    container['env'] = [{ name: 'APP_MODE', valueFrom: { configMapKeyRef: { name: refs.env, key: 'mode' } } }];
    container['volumeMounts'] = [{ name: 'settings', mountPath: '/etc/app' }];
    spec['volumes'] = [{ name: 'settings', configMap: { name: refs.volume } }];
  }
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'edge-sync', [GENERATION_LABEL]: '0' } },
    spec,
  });
}

export function configMapBody(name: string, generation: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'edge-sync', [GENERATION_LABEL]: String(generation) } },
    data: { mode: `mode-${generation}`, 'settings.yaml': `generation: ${generation}\nlevel: info\n` },
  });
}

export function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

export function configMapsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
}
