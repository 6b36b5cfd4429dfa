import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createEndpointSliceController } from '../endpointslice/index.js';
import { createKubernetesServiceController } from '../kubernetes-service/index.js';
import { createEndpointsController } from './index.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function cluster(): Promise<ApiContext> {
  const ctx = await memoryApiContext();
  const informers = new SharedInformerFactory(ctx.objects, silentLogger());
  const deps = { api: ctx, informers, logger: silentLogger() };
  const modules = [
    informers,
    createEndpointsController(deps),
    createEndpointSliceController(deps),
    createKubernetesServiceController(deps, { apiEndpoint: () => ({ ip: '192.0.2.10', port: 6443 }) }),
  ];
  for (const module of modules) {
    await module.start(new AbortController().signal);
    stops.push(() => module.stop());
  }
  return ctx;
}

const def = (ctx: ApiContext, group: string, resource: string) => ctx.registry.get(group, 'v1', resource)!;
const noOptions = { gracePeriodSeconds: 0, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false };

async function addPod(ctx: ApiContext, name: string, ip: string, ready: boolean, labels = { app: 'web' }): Promise<void> {
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: name === 'odd' ? 8081 : 8080 }] }] },
  };
  await createObject(ctx, def(ctx, '', 'pods'), pod, { dryRun: false });
  await setReady(ctx, name, ip, ready);
}

async function setReady(ctx: ApiContext, name: string, ip: string, ready: boolean): Promise<void> {
  await updateObject(ctx, def(ctx, '', 'pods'), {
    namespace: 'default', name, subresource: 'status', dryRun: false,
    mutate: (current) => ({ ...current, status: { ...(current.status as object), phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }),
  });
}

async function get(ctx: ApiContext, group: string, resource: string, name: string): Promise<KubeObject | undefined> {
  return ctx.objects.get(def(ctx, group, resource), 'default', name);
}

async function slicesOf(ctx: ApiContext, service: string): Promise<KubeObject[]> {
  const listed = await ctx.objects.list(def(ctx, 'discovery.k8s.io', 'endpointslices'), 'default');
  if (!listed.ok) throw new Error(listed.message);
  return listed.value.items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service);
}

const webService: KubeObject = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

describe('endpoints and endpointslice controllers', () => {
  it('list ready pods as addresses, unready ones apart, named target ports resolved per pod', async () => {
    const ctx = await cluster();
    await addPod(ctx, 'a', '10.42.0.5', true);
    await addPod(ctx, 'odd', '10.42.0.6', true);
    await addPod(ctx, 'c', '10.42.0.7', false);
    await addPod(ctx, 'other', '10.42.0.8', true, { app: 'db' });
    await createObject(ctx, def(ctx, '', 'services'), webService, { dryRun: false });
    const ep = await waitFor(async () => {
      const found = await get(ctx, '', 'endpoints', 'web');
      return (found?.subsets as unknown[] | undefined)?.length === 2 ? found : undefined;
    }, { timeoutMs: 5000, intervalMs: 10, description: 'Endpoints web with two subsets' });
    expect(ep.metadata.labels).toEqual({ tier: 'front' });
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: '10.42.0.5', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: expect.any(String) } }],
        notReadyAddresses: [{ ip: '10.42.0.7', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: expect.any(String) } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      { addresses: [{ ip: '10.42.0.6', targetRef: { kind: 'Pod', namespace: 'default', name: 'odd', uid: expect.any(String) } }], ports: [{ name: 'http', port: 8081, protocol: 'TCP' }] },
    ]);
    const slices = await waitFor(async () => {
      const found = await slicesOf(ctx, 'web');
      return found.length === 2 ? found : undefined;
    }, { timeoutMs: 5000, intervalMs: 10, description: 'two slices of web (one per port set)' });
    for (const slice of slices) {
      expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
      expect(slice.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
      expect(slice.addressType).toBe('IPv4');
    }
    const main = slices.find((s) => (s.ports as Array<{ port: number }>)[0]?.port === 8080)!;
    const conditions = Object.fromEntries((main.endpoints as Array<{ addresses: string[]; conditions: unknown }>).map((e) => [e.addresses[0], e.conditions]));
    expect(conditions).toEqual({
      '10.42.0.5': { ready: true, serving: true, terminating: false },
      '10.42.0.7': { ready: false, serving: false, terminating: false },
    });
  });

  it('follow a pod turning ready and pods going away', async () => {
    const ctx = await cluster();
    await createObject(ctx, def(ctx, '', 'services'), { ...webService, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }, { dryRun: false });
    const placeholder = await waitFor(async () => (await slicesOf(ctx, 'web'))[0], { timeoutMs: 5000, intervalMs: 10, description: 'placeholder slice' });
    expect(placeholder.endpoints ?? []).toEqual([]);
    expect(placeholder.ports ?? []).toEqual([]);
    await addPod(ctx, 'a', '10.42.0.5', false);
    await setReady(ctx, 'a', '10.42.0.5', true);
    await waitFor(async () => {
      const ep = await get(ctx, '', 'endpoints', 'web');
      return JSON.stringify(ep?.subsets).includes('"addresses":[{"ip":"10.42.0.5"') ? ep : undefined;
    }, { timeoutMs: 5000, intervalMs: 10, description: 'pod a ready in Endpoints' });
    await deleteObject(ctx, def(ctx, '', 'pods'), 'default', 'a', noOptions);
    await waitFor(async () => ((await get(ctx, '', 'endpoints', 'web'))?.subsets === undefined ? true : undefined), { timeoutMs: 5000, intervalMs: 10, description: 'Endpoints web empty' });
    const slices = await waitFor(async () => {
      const found = await slicesOf(ctx, 'web');
      return found.length === 1 && ((found[0]?.endpoints as unknown[] | undefined) ?? []).length === 0 ? found : undefined;
    }, { timeoutMs: 5000, intervalMs: 10, description: 'one empty slice' });
    expect(slices[0]?.ports ?? []).toEqual([]);
    await deleteObject(ctx, def(ctx, '', 'services'), 'default', 'web', noOptions);
    await waitFor(async () => ((await get(ctx, '', 'endpoints', 'web')) === undefined ? true : undefined), { timeoutMs: 5000, intervalMs: 10, description: 'Endpoints web gone with its Service' });
  });

  it('split more than 100 endpoints over slices and leave selectorless Services alone', async () => {
    const ctx = await cluster();
    for (let i = 0; i < 105; i++) await addPod(ctx, `p${i}`, `10.42.1.${i + 1}`, true);
    await createObject(ctx, def(ctx, '', 'services'), { ...webService, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, { dryRun: false });
    await createObject(ctx, def(ctx, '', 'services'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }, { dryRun: false });
    const sizes = await waitFor(async () => {
      const found = (await slicesOf(ctx, 'web')).map((s) => (s.endpoints as unknown[]).length).sort((a, b) => a - b);
      return found.join(',') === '5,100' ? found : undefined;
    }, { timeoutMs: 10_000, intervalMs: 20, description: 'slices of 100 and 5 endpoints' });
    expect(sizes).toEqual([5, 100]);
    expect(await get(ctx, '', 'endpoints', 'external')).toBeUndefined();
    expect(await slicesOf(ctx, 'external')).toEqual([]);
  });

  it('keep the kubernetes Service at the range\'s first address with the API as its endpoint', async () => {
    const ctx = await cluster();
    const svc = await waitFor(() => get(ctx, '', 'services', 'kubernetes'), { timeoutMs: 5000, intervalMs: 10, description: 'kubernetes Service' });
    expect(svc.spec).toMatchObject({ clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
    const ep = await waitFor(() => get(ctx, '', 'endpoints', 'kubernetes'), { timeoutMs: 5000, intervalMs: 10, description: 'kubernetes Endpoints' });
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
    await deleteObject(ctx, def(ctx, '', 'endpoints'), 'default', 'kubernetes', noOptions);
    const again = await waitFor(() => get(ctx, '', 'endpoints', 'kubernetes'), { timeoutMs: 5000, intervalMs: 10, description: 'kubernetes Endpoints written again' });
    expect(again.metadata.uid).not.toBe(ep.metadata.uid);
    const slice = await waitFor(() => get(ctx, 'discovery.k8s.io', 'endpointslices', 'kubernetes'), { timeoutMs: 5000, intervalMs: 10, description: 'kubernetes EndpointSlice' });
    expect(slice).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.10'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] });
  });
});
