/**
 * Issue 6, "Offline and restart", with real processes (see edged-restarts.test.ts for SIGTERM,
 * reboot and PLEG): the edge agent restarted while the cloud is down adopts its running pod from
 * edge.db and reports what happened offline once the link is back; garbage collection removes
 * pods deleted while the edge was away and sandboxes/containers of no known pod, with their cgroup
 * folders, and leaves alone what edged did not create. After each case the pod that should run
 * serves its text on its pod IP, with one ready sandbox and one running container.
 */
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BUSYBOX_IMAGE } from '../../edgecore/edged/images/index.js';
import { LABELS, MANAGED_BY_VALUE } from '../../edgecore/edged/podspec/index.js';
import type { CriClient, PodSandboxConfig } from '../../edgecore/edged/cri/index.js';
import { getPod, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { expectSingle, the, useEdgedRuntime } from '../helpers/edged-runtime-fixture.js';
import {
  cgroupFoldersOf, createWebPod, describeRuntime, edgeSocket, httpBody, killTask, podInRuntime, runtimeIdOf, serves,
  setEdgeLogLevel, waitForEdgedStarted, waitUntilServes, webPodText, type PodInRuntime, type RunningWebPod,
} from '../helpers/edged-runtime-probe.js';
import { waitFor } from '../helpers/edge-process.js';

const FIRST_POD_MS = 60_000;
const WAIT_MS = 30_000;
const RECONNECT_MS = 45_000;
/** Relists run every second in these setups: a few of them give a wrong adoption or GC time to show. */
const SETTLE_MS = 4_000;

/** Sandboxes a test made behind edged's back, removed after each test whatever happened. */
const foreignSandboxes: string[] = [];

const edged = useEdgedRuntime('offline-1', {
  beforeStop: async (cri) => {
    for (const id of foreignSandboxes.splice(0)) {
      await cri.stopPodSandbox(id);
      await cri.removePodSandbox(id);
    }
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectStillServing(c: CriClient, pod: RunningWebPod): Promise<void> {
  await waitUntilServes(pod.podIP, 8080, webPodText(pod.name), WAIT_MS);
  const runtime = await podInRuntime(c, pod.uid);
  expectSingle(runtime);
  expect(runtime.runningContainers[0]?.id).toBe(pod.containerId);
}

async function waitUntilGone(c: CriClient, uid: string, what: string): Promise<void> {
  let last: PodInRuntime | undefined;
  await waitFor(async () => {
    last = await podInRuntime(c, uid);
    return last.sandboxes.length === 0 && last.containers.length === 0;
  }, WAIT_MS, () => `${what} still in the runtime: ${last === undefined ? '' : describeRuntime(last)}\n${edged.setup().edge.output().slice(-4000)}`);
}

async function metaserverPod(s: EdgedSetup, name: string): Promise<{ status: number; body: string }> {
  const url = new URL(`/api/v1/namespaces/default/pods/${name}`, s.edge.endpoints()?.metaserver);
  const answer = await new Promise<{ status: number; body: string } | undefined>((resolve) => {
    const req = get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve(undefined));
  });
  if (answer === undefined) throw new Error(`MetaServer at ${url.href} does not answer`);
  return answer;
}

describe('edged offline: agent restart without the cloud, and garbage collection', () => {
  it('an agent restarted with the cloud down adopts its pod, and reports what happened offline once the cloud is back', async () => {
    const s = edged.setup();
    const c = edged.cri();
    const pod = await createWebPod(s, c, 'offline-web', FIRST_POD_MS);
    setEdgeLogLevel(s.configFile, 'info');

    await s.cloud.stop('SIGKILL');
    expect(await s.edge.stop('SIGTERM')).toBe(0);
    await s.startEdge();
    expect(s.edge.endpoints()?.connection).toBe('disconnected');
    await waitForEdgedStarted(s, WAIT_MS);
    await sleep(SETTLE_MS);

    // Adopted from edge.db: the same sandbox and container, nothing new.
    const adopted = await podInRuntime(c, pod.uid);
    expectSingle(adopted);
    expect(adopted.containers, describeRuntime(adopted)).toHaveLength(1);
    expect(adopted.runningContainers[0]?.id).toBe(pod.containerId);
    expect(adopted.readySandboxes[0]?.id).toBe(pod.sandboxId);
    await waitUntilServes(pod.podIP, 8080, webPodText(pod.name), WAIT_MS);
    const local = await metaserverPod(s, pod.name);
    expect(local.status).toBe(200);
    expect(local.body).toContain(pod.uid);

    // Something happens while offline: the container dies and edged restarts it.
    killTask(edgeSocket(s), pod.containerId);
    let restarted: PodInRuntime | undefined;
    await waitFor(async () => {
      restarted = await podInRuntime(c, pod.uid);
      return restarted.runningContainers.length === 1 && restarted.runningContainers[0]?.id !== pod.containerId;
    }, WAIT_MS, () => `not restarted offline: ${restarted === undefined ? '' : describeRuntime(restarted)}\n${s.edge.output().slice(-4000)}`);
    const newId = the(restarted?.runningContainers[0]).id;
    await waitUntilServes(pod.podIP, 8080, webPodText(pod.name), WAIT_MS);

    await s.restartCloud();
    await waitFor(() => s.edge.endpoints()?.connection === 'connected', RECONNECT_MS, () => s.edge.output().slice(-4000));
    const reported = await waitForPod(
      s, pod.name,
      (p) => p.status?.containerStatuses?.[0]?.restartCount === pod.restartCount + 1 && runtimeIdOf(p.status.containerStatuses[0].containerID) === newId,
      RECONNECT_MS,
    );
    expect(reported.status?.phase).toBe('Running');
    expect(reported.status?.containerStatuses?.[0]?.ready).toBe(true);
    expect(reported.status?.podIP).toBe(pod.podIP);
    await expectStillServing(c, { ...pod, containerId: newId });
  }, 300_000);

  it('pods deleted in the cloud while the edge was away are stopped and removed on reconnect, cgroups included', async () => {
    const s = edged.setup();
    const c = edged.cri();
    const keep = await createWebPod(s, c, 'gc-keep', FIRST_POD_MS);
    const forced = await createWebPod(s, c, 'gc-forced', WAIT_MS);
    const graceful = await createWebPod(s, c, 'gc-graceful', WAIT_MS);
    const ids = (p: RunningWebPod) => [p.containerId, p.sandboxId];
    // The check below means something only if these folders exist while the pods run.
    for (const p of [forced, graceful]) expect(cgroupFoldersOf(p.containerId), `cgroup folders of ${p.name}`).not.toHaveLength(0);

    expect(await s.edge.stop('SIGTERM')).toBe(0);
    // grace 0: gone from the cloud at once (the edge never sees a deletionTimestamp);
    // the default grace: Terminating until the edge has stopped it and confirms (R16, R18).
    const forcedDelete = await s.api('DELETE', `/api/v1/namespaces/default/pods/${forced.name}`, { gracePeriodSeconds: 0 });
    expect(forcedDelete.status).toBe(200);
    const gracefulDelete = await s.api('DELETE', `/api/v1/namespaces/default/pods/${graceful.name}`);
    // 202 Accepted: the API server's answer to a deletion that waits for the kubelet (here the edge).
    expect(gracefulDelete.status).toBe(202);
    expect((await s.api('GET', `/api/v1/namespaces/default/pods/${graceful.name}`)).json<{ metadata: { deletionTimestamp?: string } }>().metadata.deletionTimestamp).toBeDefined();
    expect(await getPod(s, forced.name)).toBeUndefined();
    // Still running while no agent is there to stop them.
    expect(await serves(forced.podIP, 8080, webPodText(forced.name))).toBe(true);

    await s.startEdge();
    await waitFor(() => s.edge.endpoints()?.connection === 'connected', RECONNECT_MS, () => s.edge.output().slice(-4000));
    await waitUntilGone(c, forced.uid, forced.name);
    await waitUntilGone(c, graceful.uid, graceful.name);
    await waitFor(async () => (await getPod(s, graceful.name)) === undefined, WAIT_MS, () => `${graceful.name} still in the cloud`);

    for (const p of [forced, graceful]) {
      for (const id of ids(p)) expect(cgroupFoldersOf(id), `cgroup folders left by ${p.name}`).toEqual([]);
      const answer = await httpBody(p.podIP, 8080);
      expect(answer?.body ?? '').not.toContain(webPodText(p.name));
    }
    await expectStillServing(c, keep);
  }, 300_000);

  it('removes sandboxes and containers labelled as edged\'s for no known pod, and leaves unlabelled ones alone', async () => {
    const s = edged.setup();
    const c = edged.cri();
    const pod = await createWebPod(s, c, 'gc-survivor', FIRST_POD_MS);
    const sandboxConfig = (name: string, labels: Record<string, string>): PodSandboxConfig => ({
      metadata: { name, uid: labels[LABELS.podUid] ?? randomUUID(), namespace: 'default', attempt: 0 },
      hostname: name,
      labels,
      linux: {},
    });
    const run = async (config: PodSandboxConfig): Promise<string> => {
      const id = await c.runPodSandbox(config);
      if (!id.ok) throw new Error(`runPodSandbox ${config.metadata.name}: ${id.message}`);
      return id.value;
    };
    const managed = (uid: string) => ({ [LABELS.managedBy]: MANAGED_BY_VALUE, [LABELS.podUid]: uid, [LABELS.podName]: `orphan-${uid.slice(0, 8)}`, [LABELS.podNamespace]: 'default' });

    // (1) While edged runs: a labelled orphan sandbox goes, an unlabelled one stays.
    const orphanUid = randomUUID();
    const orphan = await run(sandboxConfig('orphan', managed(orphanUid)));
    const foreignUid = randomUUID();
    const foreign = await run(sandboxConfig('foreign', { [LABELS.podUid]: foreignUid }));
    foreignSandboxes.push(foreign);
    await waitUntilGone(c, orphanUid, 'the labelled orphan sandbox');
    expect(cgroupFoldersOf(orphan)).toEqual([]);

    // (2) While the agent is down: a labelled orphan sandbox with a running container in it.
    expect(await s.edge.stop('SIGTERM')).toBe(0);
    const deepUid = randomUUID();
    const deepConfig = sandboxConfig('orphan-deep', managed(deepUid));
    const deepSandbox = await run(deepConfig);
    const created = await c.createContainer(deepSandbox, {
      metadata: { name: 'sleeper', attempt: 0 },
      image: { image: BUSYBOX_IMAGE },
      command: ['sleep', '3600'],
      labels: { ...managed(deepUid), [LABELS.containerName]: 'sleeper' },
      linux: {},
    }, deepConfig);
    if (!created.ok) throw new Error(`createContainer: ${created.message}`);
    const started = await c.startContainer(created.value);
    expect(started.ok).toBe(true);
    expect(cgroupFoldersOf(created.value), 'cgroup folders of the orphan container').not.toHaveLength(0);

    await s.startEdge();
    await waitUntilGone(c, deepUid, 'the labelled orphan sandbox with a container');
    expect(cgroupFoldersOf(created.value), 'cgroup folders left by the orphan container').toEqual([]);
    expect(cgroupFoldersOf(deepSandbox), 'cgroup folders left by the orphan sandbox').toEqual([]);

    // The unlabelled sandbox outlived both collections and a few more relists.
    await sleep(SETTLE_MS);
    const still = await c.podSandboxStatus(foreign);
    expect(still.ok && still.value.status.state).toBe('SANDBOX_READY');
    await expectStillServing(c, pod);
  }, 300_000);
});
