/**
 * Strategic merge patch with the bodies a real kubectl sends, against hand-built schemas that
 * mirror the patch metadata of the real core/v1 and apps/v1 types.
 */
import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from './index.js';
import { str, int, stringMap, obj, mergeList, objectMeta } from './test-schemas.js';

const container = obj({
  name: str,
  image: str,
  args: { type: 'array', items: str },
  env: mergeList(obj({ name: str, value: str, valueFrom: obj({ fieldRef: obj({ fieldPath: str }) }) }), 'name'),
  ports: { ...mergeList(obj({ containerPort: int, protocol: str, name: str }), 'containerPort'), listType: 'map' },
  volumeMounts: mergeList(obj({ name: str, mountPath: str }), 'mountPath'),
  resources: obj({ limits: { type: 'map', values: { type: 'quantity' } } }),
});
const volume = obj({ name: str, emptyDir: obj({ medium: str }), configMap: obj({ name: str }) });
const podSpec = obj({
  containers: mergeList(container, 'name'),
  volumes: mergeList(volume, 'name', 'merge,retainKeys'),
  tolerations: { type: 'array', items: obj({ key: str, operator: str, effect: str }) },
  nodeSelector: stringMap,
});
const deploymentSchema = obj({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: obj({
    replicas: int,
    template: obj({ metadata: objectMeta, spec: podSpec }),
    strategy: obj(
      { type: str, rollingUpdate: obj({ maxSurge: { type: 'int-or-string' }, maxUnavailable: { type: 'int-or-string' } }) },
      { patchStrategy: 'retainKeys' },
    ),
  }),
});
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function deployment() {
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: { app: 'web', tier: 'fe' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}' },
    },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
                { name: 'C', value: '3' },
              ],
            },
            { name: 'sidecar', image: 'busybox:1' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  });
}

type Deployment = ReturnType<typeof deployment>;

function patchDeployment(body: unknown): Deployment {
  const result = applyStrategicMergePatch(deployment(), deepFreeze(body), deploymentSchema);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value as Deployment;
}

const containersOf = (d: Deployment) => d.spec.template.spec.containers as Record<string, unknown>[];

describe('applyStrategicMergePatch with kubectl bodies', () => {
  it('applies the kubectl apply body changing image and replicas and removing a label', () => {
    const result = patchDeployment({
      metadata: {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' },
        labels: { tier: null },
      },
      spec: {
        replicas: 3,
        template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ image: 'nginx:2', name: 'web' }] } },
      },
    });
    expect(result.metadata.labels).toEqual({ app: 'web' });
    expect(result.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' });
    expect(result.spec.replicas).toBe(3);
    const [web, sidecar] = containersOf(result);
    expect(web).toMatchObject({ name: 'web', image: 'nginx:2', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    // The sidecar is not in the order list but the server has it: it keeps its place after web.
    expect(sidecar).toEqual({ name: 'sidecar', image: 'busybox:1' });
  });

  it('applies kubectl set image', () => {
    const result = patchDeployment({ spec: { template: { spec: { containers: [{ image: 'busybox:2', name: 'sidecar' }] } } } });
    expect(containersOf(result).map((c) => [c.name, c.image])).toEqual([
      ['web', 'nginx:1'],
      ['sidecar', 'busybox:2'],
    ]);
  });

  it('merges env by name, deleting with $patch: delete', () => {
    const result = patchDeployment({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                env: [{ $patch: 'delete', name: 'B' }, { name: 'C', value: '30' }],
              },
            ],
          },
        },
      },
    });
    expect(containersOf(result)[0]?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'C', value: '30' },
    ]);
  });

  it('puts a new list item first when no $setElementOrder is sent, as Kubernetes does', () => {
    const result = patchDeployment({
      spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'NEW', value: 'x' }] }] } } },
    });
    expect((containersOf(result)[0]?.env as { name: string }[]).map((e) => e.name)).toEqual(['NEW', 'A', 'B', 'C']);
  });

  it('orders merged lists by $setElementOrder as kubectl apply sends it', () => {
    const result = patchDeployment({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
            containers: [
              {
                name: 'web',
                '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }],
                env: [{ name: 'D', value: '4' }],
                '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
                ports: [{ containerPort: 443, name: 'https' }],
              },
            ],
          },
        },
      },
    });
    const web = containersOf(result)[0] as { env: { name: string }[]; ports: unknown[] };
    expect(web.env.map((e) => e.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(web.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, name: 'https' }]);
  });

  it('reorders a list from $setElementOrder alone', () => {
    const result = patchDeployment({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }] } } },
    });
    expect(containersOf(result).map((c) => c.name)).toEqual(['sidecar', 'web']);
  });

  it('merges ports by containerPort', () => {
    const result = patchDeployment({
      spec: { template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }] }] } } },
    });
    expect(containersOf(result)[0]?.ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
  });

  it('deletes a container as kubectl apply does when it left the manifest', () => {
    const result = patchDeployment({
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'sidecar' }] },
        },
      },
    });
    expect(containersOf(result).map((c) => c.name)).toEqual(['web']);
  });

  it('replaces a whole list with a $patch: replace item', () => {
    const result = patchDeployment({
      spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x:1' }] } } },
    });
    expect(containersOf(result)).toEqual([{ name: 'only', image: 'x:1' }]);
  });

  it('applies the kubectl rollout restart annotation', () => {
    const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } } } };
    const result = patchDeployment(body);
    expect(result.spec.template.metadata).toEqual({
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' },
    });
  });

  it('clears unlisted keys with $retainKeys (apply switching the strategy to Recreate)', () => {
    const result = patchDeployment({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('applies $retainKeys inside items of a merge,retainKeys list (volumes)', () => {
    const result = patchDeployment({
      spec: {
        template: {
          spec: {
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, emptyDir: null, name: 'data' }],
          },
        },
      },
    });
    expect(result.spec.template.spec.volumes).toEqual([{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('strips directives and nulls from values that are new to the object', () => {
    const result = patchDeployment({
      spec: {
        template: {
          spec: {
            containers: [{ name: 'new', image: 'n:1', env: [{ name: 'X', value: '1' }, { $patch: 'delete', name: 'Y' }], args: ['a'] }],
            nodeSelector: { disk: 'ssd', gone: null },
          },
        },
      },
    });
    expect(containersOf(result)[0]).toEqual({ name: 'new', image: 'n:1', env: [{ name: 'X', value: '1' }], args: ['a'] });
    expect(result.spec.template.spec).toMatchObject({ nodeSelector: { disk: 'ssd' } });
  });

  it('handles $patch on maps', () => {
    const replaced = patchDeployment({ metadata: { labels: { $patch: 'replace', only: 'me' } } });
    expect(replaced.metadata.labels).toEqual({ only: 'me' });
    const deleted = patchDeployment({ metadata: { labels: { $patch: 'delete' } } });
    expect(deleted.metadata.labels).toEqual({});
  });

  it('behaves like a JSON merge patch where the schema is unknown', () => {
    const doc = { spec: { list: [{ name: 'a', v: 1 }], map: { keep: 1, drop: 2 } }, status: { x: 1 } };
    const body = { spec: { list: [{ name: 'b' }], map: { drop: null, add: { n: null, m: 1 } } } };
    expect(applyStrategicMergePatch(doc, body, undefined)).toEqual({
      ok: true,
      value: { spec: { list: [{ name: 'b' }], map: { keep: 1, add: { m: 1 } } }, status: { x: 1 } },
    });
    // A field missing from a known schema is unknown too.
    const withUnknownField = applyStrategicMergePatch({ spec: { extra: [1, 2] } }, { spec: { extra: [3] } }, deploymentSchema);
    expect(withUnknownField).toEqual({ ok: true, value: { spec: { extra: [3] } } });
  });

  it('never mutates its inputs', () => {
    // deployment() and the body are deeply frozen: any write would throw.
    expect(() =>
      patchDeployment({
        metadata: { labels: { tier: null } },
        spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', value: '9' }] }] } } },
      }),
    ).not.toThrow();
  });
});
