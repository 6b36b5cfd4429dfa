import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { waitFor } from '../helpers/edge-process.js';
import { fetchBody, getPod, ipInCidr, serves, startEdgedSetup, waitForBody, waitForPod, webPod, type EdgedSetup, type PodView } from '../helpers/edged-e2e.js';
import { tempDir } from '../helpers/paths.js';

/*
 * Edged, part 1 (issue 6), the pods half: pods applied with a real kubectl run on a real edge
 * through its own containerd, and show their state, failures and deletion as Kubernetes does.
 * One cloud and one edge serve every test of this file (a fresh edge's first pod waits for its
 * podCIDR, containerd and the local image build); each test uses pods of its own.
 */

// Its own cluster range: other test files run edges beside this one on the same machine, and two
// clouds with the default 10.42.0.0/16 would both give their first node 10.42.0.0/24.
const CLUSTER_CIDR = '10.61.0.0/16';
const NODE = 'edged-pods';

let cloud: CloudProcess | undefined;
let setup: EdgedSetup | undefined;
const manifests = tempDir('edged-pods-manifests');

function current(): EdgedSetup {
  if (setup === undefined) throw new Error('the edge did not start (see beforeAll)');
  return setup;
}

/** `kubectl apply -f FILE` of these objects, as a user would do it. */
async function apply(...objects: Record<string, unknown>[]): Promise<string> {
  const file = join(manifests, `${String(objects[0]?.kind)}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return current().kubectl.ok(['apply', '-f', file]);
}

/** The cells of `kubectl get pod NAME [-o wide]` by column title. */
async function podRow(name: string, wide = false): Promise<Record<string, string>> {
  const out = await current().kubectl.ok(['get', 'pod', name, ...(wide ? ['-o', 'wide'] : [])]);
  const [header, row] = out.trimEnd().split('\n');
  if (header === undefined || row === undefined) throw new Error(`kubectl get pod ${name} printed no row:\n${out}`);
  // Titles may hold one space (NOMINATED NODE); kubectl pads columns with three, so cells start where titles do.
  const starts: number[] = [];
  const titles: string[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
    starts.push(m.index);
    titles.push(m[0]);
  }
  const cells: Record<string, string> = {};
  titles.forEach((title, i) => (cells[title] = row.slice(starts[i], starts[i + 1] ?? row.length).trim()));
  return cells;
}

const containerOf = (pod: PodView) => pod.status?.containerStatuses?.[0];

/**
 * Follows `kubectl get pods -w` and collects every STATUS it prints for this pod, so short-lived
 * ones are not missed. It watches the list, so it may start before the pod exists.
 */
function watchStatuses(name: string): { seen: Set<string>; output: () => string; stop: () => void } {
  const child = current().kubectl.spawn(['get', 'pods', '-w', '--no-headers']);
  const seen = new Set<string>();
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
    for (const line of output.split('\n')) {
      const [pod, , status] = line.trim().split(/\s+/);
      if (pod === name && status !== undefined) seen.add(status);
    }
  });
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { seen, output: () => output, stop: () => child.kill('SIGKILL') };
}

describe('edged: pods on a real edge through its own containerd', () => {
  beforeAll(async () => {
    cloud = await startCloud({ args: ['--cluster-cidr', CLUSTER_CIDR] });
    setup = await startEdgedSetup({ node: NODE, cloud });
  }, 120_000);

  afterAll(async () => {
    // stop() kills the edge and runs `outpost reset` (pods, containerd, bridge, cgroups); the cloud is ours.
    try {
      await setup?.stop();
    } finally {
      await cloud?.stop('SIGKILL');
    }
  }, 180_000);

  it('runs a pod applied with kubectl: Running 1/1 with its IP in the node podCIDR, serving on the pod IP and its hostPort', async () => {
    const s = current();
    const name = 'web-basic';
    const hostPort = 20_000 + Math.floor(Math.random() * 20_000);
    await apply(webPod(name, NODE, { hostPort }));
    const pod = await waitForPod(s, name, (p) => p.status?.phase === 'Running' && containerOf(p)?.ready === true, 90_000);
    const podIP = pod.status?.podIP ?? '';
    const node = (await s.api('GET', `/api/v1/nodes/${NODE}`)).json<{ spec?: { podCIDR?: string }; status?: { addresses?: { type: string; address: string }[] } }>();
    const podCIDR = node.spec?.podCIDR ?? '';
    expect(podCIDR).not.toBe('');
    expect(ipInCidr(podCIDR.split('/')[0] ?? '', CLUSTER_CIDR)).toBe(true);
    expect(ipInCidr(podIP, podCIDR), `pod IP ${podIP} in ${podCIDR}`).toBe(true);

    const row = await podRow(name);
    expect(row).toMatchObject({ NAME: name, READY: '1/1', STATUS: 'Running', RESTARTS: '0' });
    const wide = await podRow(name, true);
    expect(wide).toMatchObject({ IP: podIP, NODE: NODE });

    // The pod's own server, on its IP.
    expect(await waitForBody(`http://${podIP}:8080/`, `hello from ${name}`)).toContain(`hello from ${name}`);

    // hostPort: CNI portmap DNATs the node's address to the pod.
    const hostIP = pod.status?.hostIP ?? '';
    const internalIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    expect(hostIP).not.toBe('');
    expect(hostIP).toBe(internalIP);
    const viaHost = await fetchBody(`http://${hostIP}:${hostPort}/`);
    expect(viaHost, `GET http://${hostIP}:${hostPort}/ (hostPort on the node's InternalIP)`).toMatchObject({ body: expect.stringContaining(`hello from ${name}`) });
  }, 150_000);

  it('restarts a container that exits non-zero (restartPolicy Always): restartCount, lastState, RESTARTS, then CrashLoopBackOff', async () => {
    const s = current();
    const name = 'crasher';
    const watch = watchStatuses(name);
    try {
      await apply(webPod(name, NODE, { command: ['sh', '-c', 'echo going down; exit 3'], restartPolicy: 'Always' }));
      const pod = await waitForPod(s, name, (p) => (containerOf(p)?.restartCount ?? 0) >= 1 && containerOf(p)?.lastState?.terminated !== undefined, 60_000);
      const status = containerOf(pod);
      expect(status?.restartCount).toBeGreaterThanOrEqual(1);
      expect(status?.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });

      await waitFor(async () => Number((await podRow(name)).RESTARTS?.split(' ')[0]) >= 1, 30_000, () => `RESTARTS never counted:\n${watch.output()}`);
      await waitFor(() => watch.seen.has('CrashLoopBackOff'), 60_000, () => `STATUS never showed CrashLoopBackOff:\n${watch.output()}`);
      const crashing = await waitForPod(s, name, (p) => containerOf(p)?.state?.waiting?.reason === 'CrashLoopBackOff', 60_000);
      expect(containerOf(crashing)?.state?.waiting?.message).toContain(`restarting failed container=web pod=${name}_default`);
    } finally {
      watch.stop();
    }
  }, 150_000);

  it('shows ErrImagePull then ImagePullBackOff for an unknown image, naming the image', async () => {
    const s = current();
    const name = 'no-image';
    const image = 'outpost.local/nope:1';
    const watch = watchStatuses(name);
    try {
      await apply(webPod(name, NODE, { image }));
      await waitFor(() => watch.seen.has('ErrImagePull') && watch.seen.has('ImagePullBackOff'), 60_000, () => `kubectl get -w showed:\n${watch.output()}`);
      const pod = await waitForPod(s, name, (p) => ['ErrImagePull', 'ImagePullBackOff'].includes(containerOf(p)?.state?.waiting?.reason ?? ''));
      expect(pod.status?.phase).toBe('Pending');
      expect(containerOf(pod)?.state?.waiting?.message).toContain(image);
      expect(await s.kubectl.ok(['describe', 'pod', name])).toContain(image);
    } finally {
      watch.stop();
    }
  }, 120_000);

  it('shows a clear error for a missing command, with the runtime text in the status and in describe', async () => {
    const s = current();
    const name = 'no-binary';
    await apply(webPod(name, NODE, { command: ['/no/such/binary'] }));
    const runtimeText = /no such file or directory|executable file not found/;
    const textOf = (p: PodView): string => {
      const c = containerOf(p);
      return `${c?.state?.waiting?.message ?? ''} ${c?.state?.terminated?.message ?? ''} ${(c?.lastState?.terminated as { message?: string } | undefined)?.message ?? ''}`;
    };
    const pod = await waitForPod(s, name, (p) => runtimeText.test(textOf(p)), 60_000);
    const c = containerOf(pod);
    const reason = c?.state?.waiting?.reason ?? c?.state?.terminated?.reason ?? '';
    expect(['RunContainerError', 'StartError', 'CrashLoopBackOff']).toContain(reason);
    expect(textOf(pod)).toContain('/no/such/binary');
    expect(c?.ready).toBe(false);
    const describe = await s.kubectl.ok(['describe', 'pod', name]);
    expect(describe).toMatch(runtimeText);
    expect(describe).toMatch(/RunContainerError|StartError|CrashLoopBackOff/);
  }, 120_000);

  it('passes env from a ConfigMap, a Secret and the pod IP (fieldRef status.podIP) to the container', async () => {
    const s = current();
    const name = 'env-sources';
    await apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env-cm', namespace: 'default' }, data: { greeting: 'alpha-from-configmap' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'env-secret', namespace: 'default' }, type: 'Opaque', data: { token: Buffer.from('beta-from-secret').toString('base64') } },
    );
    const manifest = webPod(name, NODE, { command: ['sh', '-c', 'mkdir -p /www && echo "$A $B $IP" > /www/index.html && exec httpd -f -p 8080 -h /www'] });
    const container = ((manifest.spec as { containers: Record<string, unknown>[] }).containers[0] ?? {}) as { env: unknown[] };
    container.env = [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'greeting' } } },
      { name: 'B', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'token' } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ];
    await apply(manifest);
    const pod = await waitForPod(s, name, (p) => p.status?.phase === 'Running' && containerOf(p)?.ready === true);
    const podIP = pod.status?.podIP ?? '';
    expect(podIP).not.toBe('');
    const body = await waitForBody(`http://${podIP}:8080/`, 'alpha-from-configmap');
    expect(body.trim()).toBe(`alpha-from-configmap beta-from-secret ${podIP}`);
  }, 120_000);

  it('finishes a graceful `kubectl delete pod`: the edge stops the pod, then the pod leaves the API and its IP stops serving', async () => {
    const s = current();
    const name = 'web-deleted';
    await apply(webPod(name, NODE));
    const pod = await waitForPod(s, name, (p) => p.status?.phase === 'Running' && containerOf(p)?.ready === true);
    const url = `http://${pod.status?.podIP ?? ''}:8080/`;
    await waitForBody(url, `hello from ${name}`);

    const deleted = await s.kubectl(['delete', 'pod', name, '--timeout=60s'], { timeoutMs: 90_000 });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`pod "${name}" deleted`);
    expect(await getPod(s, name)).toBeUndefined();
    const gone = await s.kubectl(['get', 'pod', name]);
    expect(gone.stderr).toContain('NotFound');
    await waitFor(async () => !(await serves(url, `hello from ${name}`)), 15_000, () => `${url} still serves the deleted pod`);
  }, 120_000);
});
