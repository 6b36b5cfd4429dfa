import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { waitFor } from '../helpers/poll.js';

/**
 * One list and watch per kind per cloudcore process (docs/architecture.md § Conventions: one shared informer
 * per kind serves all the controllers in a process). Every controller, EdgeController, the node
 * certificate registry and the CRD controller run in a real cloudcore; the API's /metrics then
 * shows how many store watches the informers hold for each resource: exactly one each, the kind
 * of a CRD created at run time included.
 */
let cloud: CloudProcess;
let api: ReturnType<typeof rawClient>;

beforeAll(async () => {
  cloud = await startCloud();
  api = rawClient(readKubeconfig(cloud.kubeconfig));
});
afterAll(async () => {
  await cloud?.stop();
});

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gauges.watch.example.com' },
  spec: {
    group: 'watch.example.com',
    scope: 'Namespaced',
    names: { plural: 'gauges', singular: 'gauge', kind: 'Gauge' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

/** `outpost_informer_watches` samples from the API's /metrics, as "group/resource" → value. */
async function informerWatches(): Promise<Map<string, number>> {
  const res = await api('GET', '/metrics');
  expect(res.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of res.body.split('\n')) {
    const match = /^outpost_informer_watches\{([^}]*)\} (\S+)$/.exec(line);
    if (match === null) continue;
    const labels = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    samples.set(`${labels.group ?? ''}/${labels.resource ?? ''}`, Number(match[2]));
  }
  return samples;
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  return (await waitFor(probe, { timeoutMs, intervalMs: 100, description: what })) as T;
}

describe('shared informers in one cloudcore', () => {
  it('hold exactly one store watch for each kind, CRD kinds added at run time included', async () => {
    // Some activity for the controllers: a namespace, a configmap, a pod, a node, an event.
    expect((await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watches' } })).status).toBe(201);
    expect((await api('POST', '/api/v1/namespaces/watches/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } })).status).toBe(201);
    expect((await api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'watch-node' } })).status).toBe(201);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'watch-node', containers: [{ name: 'c', image: 'busybox' }] } };
    expect((await api('POST', '/api/v1/namespaces/watches/pods', pod)).status).toBe(201);
    expect((await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    // The garbage collector follows the new kind through an informer of its own kind.
    const samples = await eventually(async () => {
      const current = await informerWatches();
      return current.get('watch.example.com/gauges') === 1 ? current : undefined;
    }, 'an informer watch for the CRD kind');
    expect((await api('POST', '/apis/watch.example.com/v1/namespaces/watches/gauges', { apiVersion: 'watch.example.com/v1', kind: 'Gauge', metadata: { name: 'g' } })).status).toBe(201);

    for (const resource of ['/pods', '/nodes', '/configmaps', '/namespaces', 'apiextensions.k8s.io/customresourcedefinitions', '/secrets', '/events', 'coordination.k8s.io/leases']) {
      expect(samples.get(resource), resource).toBe(1);
    }
    const after = await informerWatches();
    for (const [resource, watches] of after) expect(watches, resource).toBe(1);
    expect(after.size).toBe(samples.size);
  });
});
