import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

/**
 * Services end to end (docs/services.md): a real cloudcore, hollow kubelets that run the pods and
 * report their IPs, and a real kubectl: expose, Endpoints and EndpointSlices following the pods,
 * the `kubernetes` Service, and `apply --prune` with kubectl's default allowlist.
 */
const NS = 'svc';

interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  status?: { podIP?: string; phase?: string; conditions?: Array<{ type: string; status: string }> };
}
interface EndpointsView {
  subsets?: Array<{ addresses?: Array<{ ip: string; nodeName?: string; targetRef?: { name: string } }>; notReadyAddresses?: Array<{ ip: string }>; ports?: Array<{ port: number; name?: string }> }>;
}
interface SliceView {
  metadata: { name: string; labels: Record<string, string> };
  addressType: string;
  endpoints?: Array<{ addresses: string[]; conditions: { ready: boolean; serving: boolean; terminating: boolean }; nodeName?: string }>;
  ports?: Array<{ port: number }>;
}

describe('services with endpoints and kubectl', () => {
  let cloud: CloudProcess;
  let api: ReturnType<typeof rawClient>;
  let nodes: HollowNodes;
  let kubectl: Kubectl;

  const readyPodIPs = async (app: string): Promise<string[]> => {
    const listed = (await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${app}`)).json<{ items: PodView[] }>().items;
    return listed
      .filter((p) => p.metadata.deletionTimestamp === undefined && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((p) => p.status?.podIP ?? '')
      .filter((ip) => ip !== '')
      .sort();
  };
  const endpoints = async (name: string): Promise<EndpointsView> => (await api('GET', `/api/v1/namespaces/${NS}/endpoints/${name}`)).json<EndpointsView>();
  const readyAddresses = (ep: EndpointsView): string[] => (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
  const slices = async (service: string): Promise<SliceView[]> =>
    (await api('GET', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${service}`)).json<{ items: SliceView[] }>().items;
  const readySliceAddresses = (all: SliceView[]): string[] => all.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions.ready).flatMap((e) => e.addresses)).sort();
  /** Waits until the Endpoints and the EndpointSlices both list exactly the ready pods, `count` of them. */
  const followsReadyPods = async (app: string, count: number): Promise<string[]> =>
    waitFor(async () => {
      const ips = await readyPodIPs(app);
      if (ips.length !== count) return undefined;
      const same = (other: string[]): boolean => other.join(',') === ips.join(',');
      return same(readyAddresses(await endpoints(app))) && same(readySliceAddresses(await slices(app))) ? ips : undefined;
    }, { timeoutMs: 60_000, description: `Endpoints and EndpointSlices of ${app} listing its ${count} ready pods` });

  beforeAll(async () => {
    cloud = await startCloud();
    api = rawClient(readKubeconfig(cloud.kubeconfig));
    nodes = await startHollowNodes({ api, nodes: [{ name: 'svc-a' }, { name: 'svc-b' }], bindPending: true });
    kubectl = createKubectl(cloud.kubeconfig);
    await kubectl.ok(['create', 'namespace', NS]);
  });

  afterAll(async () => {
    await nodes?.stop();
    await cloud?.stop();
  });

  it('expose: Endpoints and an EndpointSlice list the ready pods, as kubectl get prints them', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=8080', '-n', NS]);
    expect(await kubectl.ok(['expose', 'deployment', 'web', '--port', '80', '--target-port', '8080', '-n', NS])).toContain('service/web exposed');
    const ips = await followsReadyPods('web', 2);
    const ep = await endpoints('web');
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets?.[0]?.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets?.[0]?.addresses?.every((a) => a.nodeName?.startsWith('svc-') && a.targetRef?.name.startsWith('web-'))).toBe(true);
    const [slice, ...more] = await slices('web');
    expect(more).toEqual([]);
    expect(slice?.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice?.metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.endpoints?.every((e) => e.conditions.serving && !e.conditions.terminating && e.nodeName !== undefined)).toBe(true);

    const table = await kubectl.ok(['get', 'endpoints,endpointslices', '-n', NS]);
    expect(table).toMatch(/NAME\s+ENDPOINTS\s+AGE/);
    expect(table).toContain(`endpoints/web   ${ips.map((ip) => `${ip}:8080`).join(',')}`);
    expect(table).toMatch(/NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE/);
    expect(table).toMatch(new RegExp(`endpointslice.discovery.k8s.io/web-[a-z0-9]{5}\\s+IPv4\\s+8080\\s+`));
    for (const ip of ips) expect(table).toContain(ip);
    // describe reads the Service's EndpointSlices by their service-name label.
    const described = await kubectl.ok(['describe', 'service', 'web', '-n', NS]);
    expect(described).toMatch(/^IP:\s+10\.43\.\d+\.\d+$/m);
    // The slice lists its endpoints in no set order (nor does Kubernetes' EndpointSlice controller).
    const line = /^Endpoints:\s+(\S+)$/m.exec(described)?.[1] ?? '';
    expect(line.split(',').sort()).toEqual(ips.map((ip) => `${ip}:8080`).sort());
  });

  it('follow scale up, a pod turning unready, and scale down', async () => {
    await kubectl.ok(['scale', 'deployment/web', '--replicas=3', '-n', NS]);
    const three = await followsReadyPods('web', 3);
    const listed = (await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`)).json<{ items: PodView[] }>().items;
    const victim = listed.find((p) => p.status?.podIP === three[0]);
    expect(victim).toBeDefined();
    // What a kubelet reports when a readiness probe fails: Ready False, still Running.
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = ['Initialized', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now }))
      .concat(['ContainersReady', 'Ready'].map((type) => ({ type, status: 'False', lastTransitionTime: now })));
    const patched = await api('PATCH', `/api/v1/namespaces/${NS}/pods/${victim?.metadata.name ?? ''}/status`, { status: { conditions } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    await followsReadyPods('web', 2);
    const ep = await endpoints('web');
    expect((ep.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip))).toEqual([three[0]]);
    const unready = (await slices('web')).flatMap((s) => s.endpoints ?? []).find((e) => e.addresses[0] === three[0]);
    expect(unready?.conditions).toEqual({ ready: false, serving: false, terminating: false });

    await kubectl.ok(['scale', 'deployment/web', '--replicas=1', '-n', NS]);
    await waitFor(async () => {
      const all = (await slices('web')).flatMap((s) => s.endpoints ?? []);
      const ep1 = await endpoints('web');
      const inEndpoints = (ep1.subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]);
      return all.length === 1 && inEndpoints.length === 1;
    }, { timeoutMs: 60_000, description: 'one pod left in the Endpoints and slices of web' });
  });

  it('the kubernetes Service: the range\'s first address, 443 onto the API, its endpoint the API\'s address', async () => {
    const apiPort = new URL(cloud.apiUrl).port;
    const svc = await kubectl.ok(['get', 'service', 'kubernetes', '-n', 'default']);
    expect(svc).toMatch(/kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443\/TCP/);
    const ep = await waitFor(async () => {
      const res = await api('GET', '/api/v1/namespaces/default/endpoints/kubernetes');
      return res.status === 200 ? res.json<EndpointsView>() : undefined;
    }, { timeoutMs: 30_000, description: 'Endpoints default/kubernetes' });
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: 'https', port: Number(apiPort), protocol: 'TCP' }]);
    const address = ep.subsets?.[0]?.addresses?.[0]?.ip ?? '';
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await kubectl.ok(['get', 'endpointslice', 'kubernetes', '-n', 'default'])).toMatch(new RegExp(`kubernetes\\s+IPv4\\s+${apiPort}\\s+${address.replace(/\./g, '\\.')}`));
    const targetPort = await kubectl.ok(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.ports[0].targetPort}']);
    expect(targetPort).toBe(apiPort);
  });

  it('apply --prune -l with kubectl\'s default allowlist prunes a ConfigMap removed from the folder', async () => {
    const dir = tempDir('prune');
    mkdirSync(dir, { recursive: true });
    const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n  labels:\n    app: pruned\ndata:\n  k: v\n`;
    writeFileSync(join(dir, 'one.yaml'), configMap('one'));
    writeFileSync(join(dir, 'two.yaml'), configMap('two'));
    await kubectl.ok(['apply', '--prune', '-l', 'app=pruned', '-f', dir]);
    rmSync(join(dir, 'two.yaml'));
    const out = await kubectl.ok(['apply', '--prune', '-l', 'app=pruned', '-f', dir]);
    expect(out).toContain('configmap/two pruned');
    expect((await api('GET', `/api/v1/namespaces/${NS}/configmaps/two`)).status).toBe(404);
    expect((await api('GET', `/api/v1/namespaces/${NS}/configmaps/one`)).status).toBe(200);
  });
});
