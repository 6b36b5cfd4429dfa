/**
 * One object of each kind a typical Helm chart carries beyond workloads (docs/kinds.md), for the
 * real-kubectl end-to-end test of those kinds. Cluster-scoped names carry `prefix` so that one
 * cloud can hold several sets. Atomic lists carry the values the server would default inside them
 * (webhook rule scope, port protocol, limit defaults): a later server-side apply of the same
 * manifest would otherwise conflict with client-side apply's ownership of the defaulted list, as
 * it does on Kubernetes.
 */
export function chartObjects(namespace: string, prefix: string): Record<string, unknown>[] {
  const meta = (name: string) => ({ name, namespace });
  const cluster = (name: string) => ({ name: `${prefix}-${name}` });
  const webhook = { name: 'hook.example.com', clientConfig: { service: { name: 'hooks', namespace } }, rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' }], sideEffects: 'None', admissionReviewVersions: ['v1'] };
  return [
    { apiVersion: 'v1', kind: 'PersistentVolume', metadata: cluster('pv'), spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/data' }, storageClassName: `${prefix}-sc` } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: `${prefix}-sc` } },
    { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('limits'), spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' }, default: { cpu: '500m' }, defaultRequest: { cpu: '200m' } }] } },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('quota'), spec: { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '4Gi' } } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('web'),
      spec: {
        ingressClassName: `${prefix}-nginx`,
        tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
        rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: cluster('nginx'), spec: { controller: 'k8s.io/ingress-nginx' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('deny'), spec: { podSelector: { matchLabels: { app: 'web' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } },
    {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('web'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
    },
    { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta('api'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: cluster('sc'), provisioner: 'example.com/local', parameters: { tier: 'fast' } },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: cluster('high'), value: 1000, description: 'important' },
    { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: cluster('gvisor'), handler: 'runsc' },
    {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('web.started'),
      eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'example.com/operator', reportingInstance: 'operator-0',
      action: 'Started', reason: 'Started', type: 'Normal', note: 'web started',
      regarding: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace },
    },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: cluster('mutate'), webhooks: [webhook] },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: cluster('validate'), webhooks: [webhook] },
  ];
}
