import type { Json } from './values.js';

/**
 * The API objects the fuzzer starts from: one valid sample per kind, the collection each lives
 * in, and the custom resource definition the fuzz run installs. Writes go to FUZZ_NAMESPACE only;
 * CONTROL_NAMESPACE holds objects nothing may change (docs/limits.md § Fuzzing).
 */
export const FUZZ_NAMESPACE = 'fuzz';
export const CONTROL_NAMESPACE = 'fuzz-control';
export const WIDGET_GROUP = 'fuzz.outpost.dev';

export type FuzzKind = 'Pod' | 'ConfigMap' | 'Secret' | 'Deployment' | 'Widget';
export const FUZZ_KINDS: readonly FuzzKind[] = ['Pod', 'ConfigMap', 'Secret', 'Deployment', 'Widget'];
/** Objects of each kind the fuzz run creates first, so that updates and patches find something. */
export const SEED_NAMES: readonly string[] = ['seed-0', 'seed-1', 'seed-2'];

export function collectionPath(kind: FuzzKind, namespace: string): string {
  switch (kind) {
    case 'Pod': return `/api/v1/namespaces/${namespace}/pods`;
    case 'ConfigMap': return `/api/v1/namespaces/${namespace}/configmaps`;
    case 'Secret': return `/api/v1/namespaces/${namespace}/secrets`;
    case 'Deployment': return `/apis/apps/v1/namespaces/${namespace}/deployments`;
    case 'Widget': return `/apis/${WIDGET_GROUP}/v1/namespaces/${namespace}/widgets`;
  }
}

const podSpec = (nodeName?: string): Json => ({
  ...(nodeName !== undefined ? { nodeName } : {}),
  containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'], env: [{ name: 'A', value: 'b' }], ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '100m', memory: '64Mi' } } }],
  restartPolicy: 'Always',
  tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
});

/** A valid object of `kind`. Pods may be bound to a node that never connects, so no scheduler moves them. */
export function sampleObject(kind: FuzzKind, name: string, namespace: string, nodeName?: string): { [key: string]: Json } {
  const metadata = { name, namespace, labels: { app: 'fuzz', tier: 'a' }, annotations: { note: 'fuzz sample' } };
  switch (kind) {
    case 'Pod': return { apiVersion: 'v1', kind, metadata, spec: podSpec(nodeName) };
    case 'ConfigMap': return { apiVersion: 'v1', kind, metadata, data: { a: '1', 'b.txt': 'two\n' }, binaryData: { bin: 'AAEC' } };
    case 'Secret': return { apiVersion: 'v1', kind, metadata, type: 'Opaque', data: { user: 'YWRtaW4=' }, stringData: { pw: 's3cr3t' } };
    case 'Deployment': return {
      apiVersion: 'apps/v1', kind, metadata,
      spec: { replicas: 1, selector: { matchLabels: { app: 'fuzz' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, template: { metadata: { labels: { app: 'fuzz' } }, spec: podSpec() } },
    };
    case 'Widget': return { apiVersion: `${WIDGET_GROUP}/v1`, kind, metadata, spec: { size: 3, color: 'blue', tags: ['a', 'b'], extra: { anything: [1, 'x', true] } } };
  }
}

/** A CRD whose schema has the checks hostile input goes for: ranges, an RE2 pattern, enums, lists, free-form parts. */
export function widgetDefinition(): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${WIDGET_GROUP}` },
    spec: {
      group: WIDGET_GROUP, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: {
          spec: { type: 'object', properties: {
            size: { type: 'integer', minimum: 0, maximum: 100 },
            color: { type: 'string', pattern: '^[a-z]+$', maxLength: 32 },
            tags: { type: 'array', maxItems: 16, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
            mode: { type: 'string', enum: ['fast', 'slow'] },
            extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          } },
          status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        } } },
      }],
    },
  };
}

/** Keys whose big values are work, not attack: an admin's million replicas is honoured, slowly. */
const AMPLIFYING_KEYS = new Set(['replicas', 'parallelism', 'completions']);
export const MAX_AMPLIFICATION = 3;

/**
 * Caps replica-like numbers in place (without recursion): the fuzzer tests input handling, and a
 * Deployment of 2^31 replicas is a valid request whose cost is the controllers' to pay.
 */
export function tame(value: Json): Json {
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) stack.push(...node);
    else {
      for (const [key, child] of Object.entries(node)) {
        if (AMPLIFYING_KEYS.has(key) && typeof child === 'number' && child > MAX_AMPLIFICATION) node[key] = MAX_AMPLIFICATION;
        else if (AMPLIFYING_KEYS.has(key) && typeof child === 'string' && /^\s*\d{2,}/.test(child)) node[key] = String(MAX_AMPLIFICATION);
        stack.push(child);
      }
    }
  }
  return value;
}
