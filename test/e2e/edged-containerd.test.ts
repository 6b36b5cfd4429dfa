/**
 * Edged against a real containerd of its own (test/helpers/containerd-runtime.ts) and a real
 * edge.db in a temp folder: pods inserted as the cloud would send them run, restart, fail with
 * kubelet's reasons, are deleted with confirmation, and are adopted by a new edged.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectCri, startTestRuntime, type TestRuntime } from '../helpers/containerd-runtime.js';
import { silentLogger } from '../../shared/logging.js';
import { EdgeStore } from '../../edgecore/metamanager/index.js';
import type { CriClient } from '../../edgecore/edged/cri/index.js';
import { LABELS } from '../../edgecore/edged/podspec/index.js';
import { collectCgroupPaths } from '../../edgecore/edged/pods/cgroup-cleanup.js';
import { createEdged, type Edged, type EdgedOptions } from '../../edgecore/edged/pods/index.js';
import type { PodStatusJson } from '../../edgecore/edged/pods/status-types.js';
import { waitFor as poll } from '../helpers/poll.js';

const BUSYBOX = 'outpost.local/busybox:1';
const HOST_IP = '192.0.2.10';

let runtime: TestRuntime | undefined;
let scratch: string;
let store: EdgeStore;
let cri: CriClient;
let edged: Edged | undefined;
let resourceVersion = 100;
/** Every status edged queued, per pod name, in order (the outbox row itself coalesces). */
const reported = new Map<string, PodStatusJson[]>();

function edgedOptions(): EdgedOptions {
  return {
    store, cri, nodeName: 'node-1', hostIP: () => HOST_IP, logRoot: join(scratch, 'pods'), logger: silentLogger(),
    relistPeriodMs: 200, backoff: { initialMs: 300, maxMs: 1200 },
  };
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  scratch = mkdtempSync(join(tmpdir(), 'outpost-edged-'));
  const opened = EdgeStore.open(join(scratch, 'edge.db'), { confirmDeletions: false });
  if (!opened.ok) throw new Error(opened.message);
  store = opened.value;
  const report = store.reportPodStatus.bind(store);
  vi.spyOn(store, 'reportPodStatus').mockImplementation((pod, status) => {
    reported.set(pod.name, [...(reported.get(pod.name) ?? []), status as unknown as PodStatusJson]);
    return report(pod, status);
  });
  cri = await connectCri(runtime);
  edged = createEdged(edgedOptions());
  await edged.start(AbortSignal.timeout(30_000));
});

afterAll(async () => {
  await edged?.stop();
  cri?.close();
  store?.close();
  try {
    await runtime?.stop();
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
});

type Container = Record<string, unknown> & { name: string; image: string };

function podObject(name: string, containers: Container[], spec: Record<string, unknown> = {}, uid: string = randomUUID()) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid, resourceVersion: String(++resourceVersion) },
    spec: { nodeName: 'node-1', containers, ...spec },
  };
}

function upsert(object: { metadata: Record<string, unknown> }): void {
  object.metadata.resourceVersion = String(++resourceVersion);
  const result = store.applyDownstream([{ kind: 'upsert', object: object as never }]);
  if (!result.ok) throw new Error(result.message);
}

function latest(name: string): PodStatusJson | undefined {
  return reported.get(name)?.at(-1);
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  return (await poll(probe, { timeoutMs, intervalMs: 100, description: what })) as T;
}

async function containersOf(uid: string) {
  const listed = await cri.listContainers({ labelSelector: { [LABELS.podUid]: uid } });
  if (!listed.ok) throw new Error(listed.message);
  return listed.value;
}

async function sandboxesOf(uid: string) {
  const listed = await cri.listPodSandbox({ labelSelector: { [LABELS.podUid]: uid } });
  if (!listed.ok) throw new Error(listed.message);
  return listed.value;
}

function httpGet(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const httpd = (): Container => ({ name: 'web', image: BUSYBOX, command: ['httpd', '-f', '-p', '8080', '-h', '/'] });

describe('edged on a real containerd', () => {
  it('runs a pod: Running with a pod IP on the runtime subnet that answers HTTP, status in the outbox', async () => {
    const pod = podObject('web', [httpd()]);
    upsert(pod);
    const status = await waitFor('web Running', () => {
      const s = latest('web');
      return s?.phase === 'Running' && s.containerStatuses[0]?.ready === true ? s : undefined;
    });
    const subnet = runtime!.podCidr.replace(/\.0\/24$/, '.');
    expect(status.podIP?.startsWith(subnet)).toBe(true);
    expect(status.hostIP).toBe(HOST_IP);
    expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(status.containerStatuses[0]).toMatchObject({ name: 'web', restartCount: 0, started: true, image: BUSYBOX, state: { running: {} } });
    expect(status.containerStatuses[0]?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(await waitFor('an HTTP answer', () => httpGet(status.podIP!, 8080).catch(() => undefined))).toBeGreaterThanOrEqual(200);
    const row = store.outbox.pending(1000).find((r) => r.key === 'podStatus/default/web');
    expect(row?.payload).toMatchObject({ uid: pod.metadata.uid, status: { phase: 'Running' } });
    // A quiet pod sends nothing more: relists and syncs find nothing changed.
    const count = reported.get('web')?.length;
    edged?.syncPod(pod.metadata.uid);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reported.get('web')?.length).toBe(count);
  });

  it('restarts a container that exits 1 (restartPolicy Always) with back-off', async () => {
    const pod = podObject('crash', [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', 'sleep 0.2; exit 1'] }]);
    upsert(pod);
    const status = await waitFor('a restart with lastState exit 1', () => {
      const s = latest('crash')?.containerStatuses[0];
      return s !== undefined && s.restartCount >= 1 && s.lastState.terminated?.exitCode === 1 ? s : undefined;
    });
    expect(status.lastState.terminated?.reason).toBe('Error');
    const waiting = await waitFor('CrashLoopBackOff', () =>
      reported.get('crash')?.map((s) => s.containerStatuses[0]?.state.waiting).find((w) => w?.reason === 'CrashLoopBackOff'),
    );
    expect(waiting.message).toMatch(/^back-off \d+ms restarting failed container=app pod=crash_default\(.+\)$/);
    expect(latest('crash')?.phase).toBe('Running');
    // Dead instances are collected: the current one and one exited instance (for --previous) stay.
    await waitFor('restartCount 2', () => (latest('crash')?.containerStatuses[0]?.restartCount ?? 0) >= 2);
    await waitFor('old instances removed', async () => (await containersOf(pod.metadata.uid)).length <= 2);
  });

  it('runs a Never pod to Succeeded and does not start it again', async () => {
    const pod = podObject('once', [{ name: 'app', image: BUSYBOX, command: ['true'] }], { restartPolicy: 'Never' });
    upsert(pod);
    const status = await waitFor('Succeeded', () => (latest('once')?.phase === 'Succeeded' ? latest('once') : undefined));
    expect(status?.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    const containers = await containersOf(pod.metadata.uid);
    expect(containers).toHaveLength(1);
    expect((await sandboxesOf(pod.metadata.uid)).map((s) => s.state)).toEqual(['SANDBOX_NOTREADY']);
    expect(latest('once')?.containerStatuses[0]?.restartCount).toBe(0);
  });

  it('runs init containers one after the other to completion before the containers', async () => {
    const inits = [{ name: 'first', image: BUSYBOX, command: ['sleep', '0.3'] }, { name: 'second', image: BUSYBOX, command: ['true'] }];
    upsert(podObject('initialized', [httpd()], { initContainers: inits }));
    const status = await waitFor('initialized Running', () => (latest('initialized')?.phase === 'Running' ? latest('initialized') : undefined));
    expect(status?.initContainerStatuses?.map((s) => [s.name, s.state.terminated?.reason])).toEqual([['first', 'Completed'], ['second', 'Completed']]);
    const [first, second] = status?.initContainerStatuses ?? [];
    expect(Date.parse(second!.state.terminated!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.state.terminated!.finishedAt) - 1_000);
    expect(status?.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    // While the first one ran, the pod was Pending and its container waited.
    expect(reported.get('initialized')?.some((s) => s.phase === 'Pending' && s.containerStatuses[0]?.state.waiting?.reason === 'PodInitializing')).toBe(true);
  });

  it('fails a Never pod whose init container fails', async () => {
    upsert(podObject('badinit', [httpd()], { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: BUSYBOX, command: ['sh', '-c', 'exit 3'] }] }));
    const status = await waitFor('badinit Failed', () => (latest('badinit')?.phase === 'Failed' ? latest('badinit') : undefined));
    expect(status?.initContainerStatuses?.[0]?.state.terminated?.exitCode).toBe(3);
    expect(status?.containerStatuses[0]?.state.waiting?.reason).toBe('PodInitializing');
  });

  it('runs a host-network pod with the host IP as its pod IP', async () => {
    upsert(podObject('hostnet', [{ name: 'app', image: BUSYBOX, command: ['sleep', '3600'] }], { hostNetwork: true, terminationGracePeriodSeconds: 0 }));
    const status = await waitFor('hostnet Running', () => (latest('hostnet')?.phase === 'Running' ? latest('hostnet') : undefined));
    expect(status?.podIP).toBe(HOST_IP);
    expect(status?.podIPs).toEqual([{ ip: HOST_IP }]);
  });

  it('reports ErrImagePull then ImagePullBackOff for a missing image (IfNotPresent)', async () => {
    upsert(podObject('noimage', [{ name: 'app', image: 'outpost.local/missing:1' }]));
    const pull = await waitFor('ErrImagePull', () =>
      reported.get('noimage')?.map((s) => s.containerStatuses[0]?.state.waiting).find((w) => w?.reason === 'ErrImagePull'),
    );
    expect(pull.message).toContain('Failed to pull image "outpost.local/missing:1"');
    const backoff = await waitFor('ImagePullBackOff', () =>
      reported.get('noimage')?.map((s) => s.containerStatuses[0]?.state.waiting).find((w) => w?.reason === 'ImagePullBackOff'),
    );
    expect(backoff.message).toBe('Back-off pulling image "outpost.local/missing:1"');
    expect(latest('noimage')?.phase).toBe('Pending');
  });

  it('shows the runtime message for a missing command, then CrashLoopBackOff with lastState StartError', async () => {
    upsert(podObject('nocmd', [{ name: 'app', image: BUSYBOX, command: ['/no-such-command'] }]));
    const failure = await waitFor('RunContainerError', () =>
      reported.get('nocmd')?.map((s) => s.containerStatuses[0]?.state.waiting).find((w) => w?.reason === 'RunContainerError'),
    );
    expect(failure.message).toContain('/no-such-command');
    const status = await waitFor('lastState StartError', () => {
      const s = latest('nocmd')?.containerStatuses[0];
      return s?.lastState.terminated?.reason === 'StartError' ? s : undefined;
    });
    expect(status.lastState.terminated?.exitCode).toBe(128);
  });

  it('deletes a pod with deletionTimestamp: containers gone, then podDelete in the outbox', async () => {
    const pod = podObject('doomed', [httpd()]);
    upsert(pod);
    await waitFor('doomed Running', () => latest('doomed')?.phase === 'Running');
    const [sandbox] = await sandboxesOf(pod.metadata.uid);
    const cgroups = await collectCgroupPaths(cri, sandbox!.id, (await containersOf(pod.metadata.uid)).map((c) => c.id));
    expect(cgroups.length).toBeGreaterThan(0);
    upsert({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 0 } });
    const row = await waitFor('podDelete', () => store.outbox.pending(1000).find((r) => r.key === 'podDelete/default/doomed'));
    expect(row.payload).toEqual({ namespace: 'default', name: 'doomed', uid: pod.metadata.uid });
    expect(await containersOf(pod.metadata.uid)).toEqual([]);
    expect(await sandboxesOf(pod.metadata.uid)).toEqual([]);
    const hierarchies = readdirSync('/sys/fs/cgroup').map((h) => join('/sys/fs/cgroup', h));
    expect(cgroups.flatMap((path) => hierarchies.map((h) => join(h, path))).filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('stops and removes what a pod gone from edge.db left behind', async () => {
    const pod = podObject('unbound', [httpd()]);
    upsert(pod);
    await waitFor('unbound Running', () => latest('unbound')?.phase === 'Running');
    store.applyDownstream([{ kind: 'delete', uid: pod.metadata.uid, resourceVersion: String(++resourceVersion) }]);
    await waitFor('everything removed', async () => (await sandboxesOf(pod.metadata.uid)).length === 0 && (await containersOf(pod.metadata.uid)).length === 0);
  });

  it('replaces a container whose spec changed and keeps the unchanged one', async () => {
    // sleep as PID 1 ignores SIGTERM: the replaced container is killed after the (short) grace.
    const pod = podObject('changing', [httpd(), { name: 'side', image: BUSYBOX, command: ['sleep', '3600'] }], { terminationGracePeriodSeconds: 2 });
    upsert(pod);
    await waitFor('changing Running', () => latest('changing')?.containerStatuses.every((c) => c.ready));
    const before = await containersOf(pod.metadata.uid);
    const changed = { ...pod, spec: { ...pod.spec, containers: [httpd(), { name: 'side', image: BUSYBOX, command: ['sleep', '3601'] }] } };
    upsert(changed);
    const status = await waitFor('side replaced', () => {
      const s = latest('changing');
      const side = s?.containerStatuses.find((c) => c.name === 'side');
      return side?.ready === true && side.restartCount === 1 ? s : undefined;
    });
    const web = before.find((c) => c.metadata.name === 'web');
    expect(status.containerStatuses.find((c) => c.name === 'web')?.containerID).toBe(`containerd://${web?.id}`);
  });

  it('a new edged after stop() adopts the running pods without duplicates', async () => {
    const pod = podObject('adopted', [httpd()]);
    upsert(pod);
    await waitFor('adopted Running', () => latest('adopted')?.phase === 'Running');
    const containersBefore = (await containersOf(pod.metadata.uid)).map((c) => c.id).sort();
    const sandboxesBefore = (await sandboxesOf(pod.metadata.uid)).map((s) => s.id).sort();
    await edged?.stop();
    expect((await containersOf(pod.metadata.uid)).every((c) => c.state === 'CONTAINER_RUNNING')).toBe(true);
    const reportsBefore = reported.get('adopted')?.length ?? 0;
    const crashRestarts = latest('crash')?.containerStatuses[0]?.restartCount ?? 0;
    edged = createEdged(edgedOptions());
    await edged.start(AbortSignal.timeout(30_000));
    // Several relists and syncs of the new edged.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await containersOf(pod.metadata.uid)).map((c) => c.id).sort()).toEqual(containersBefore);
    expect((await sandboxesOf(pod.metadata.uid)).map((s) => s.id).sort()).toEqual(sandboxesBefore);
    // The status did not change, but the new edged has never sent one: at most one report.
    expect((reported.get('adopted')?.length ?? 0) - reportsBefore).toBeLessThanOrEqual(1);
    // The restart count lives in the runtime (an annotation), so it goes on where it was.
    await waitFor('crash restarted by the new edged', () => (latest('crash')?.containerStatuses[0]?.restartCount ?? 0) > crashRestarts);
  });

  it('makes a new sandbox and recreates the containers when the sandbox dies (as after a reboot)', async () => {
    const pod = podObject('reborn', [httpd()]);
    upsert(pod);
    await waitFor('reborn Running', () => latest('reborn')?.phase === 'Running');
    const [sandbox] = await sandboxesOf(pod.metadata.uid);
    const stopped = await cri.stopPodSandbox(sandbox!.id);
    expect(stopped.ok).toBe(true);
    // The relist may see the container exit before the sandbox does: a start in the dying sandbox
    // then fails once (a restart, and its back-off) before the new sandbox is made, as with kubelet.
    const status = await waitFor('reborn running again', () => {
      const s = latest('reborn');
      return s?.phase === 'Running' && s.containerStatuses[0]?.ready === true && (s.containerStatuses[0].restartCount ?? 0) >= 1 ? s : undefined;
    }, 90_000);
    const sandboxes = await sandboxesOf(pod.metadata.uid);
    const ready = sandboxes.filter((s) => s.state === 'SANDBOX_READY');
    expect(ready).toHaveLength(1);
    expect(ready[0]?.metadata.attempt).toBe(1);
    expect(status.podIP).toBeDefined();
  });

  it('removes an orphan sandbox with its label and leaves an unlabelled one alone', async () => {
    const make = async (name: string, labels: Record<string, string>) => {
      const id = await cri.runPodSandbox({ metadata: { name, uid: `uid-${name}`, namespace: 'default', attempt: 0 }, hostname: name, labels, linux: {} });
      if (!id.ok) throw new Error(id.message);
      return id.value;
    };
    const orphan = await make('orphan', { [LABELS.managedBy]: 'edged', [LABELS.podUid]: 'uid-orphan' });
    const foreign = await make('foreign', { [LABELS.podUid]: 'uid-foreign' });
    await waitFor('the orphan removed', async () => (await sandboxesOf('uid-orphan')).length === 0);
    const still = await cri.podSandboxStatus(foreign);
    expect(still.ok && still.value.status.state).toBe('SANDBOX_READY');
    expect((await cri.podSandboxStatus(orphan)).ok).toBe(false);
    await cri.stopPodSandbox(foreign);
    await cri.removePodSandbox(foreign);
  });
});
