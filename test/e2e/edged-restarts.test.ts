/**
 * Issue 6, "Offline and restart", with real processes: a cloudcore and an edgecore running pods
 * through its own containerd. The agent stopped with SIGTERM leaves its pod running and a new
 * agent adopts it; a simulated machine reboot (`outpost reset`) with the cloud away brings the pod
 * back from edge.db alone; a container killed behind edged's back is restarted. After each case the
 * pod serves its text on its pod IP, with one ready sandbox and one running container.
 * (The offline agent restart and garbage collection are in edged-offline.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { resetEdgeRuntime, waitForPod } from '../helpers/edged-e2e.js';
import { expectSingle, the, useEdgedRuntime } from '../helpers/edged-runtime-fixture.js';
import {
  cgroupFoldersOf, createWebPod, describeRuntime, edgeSocket, killTask, podInRuntime, runtimeIdOf, sandboxIp, serves, setEdgeLogLevel,
  waitForEdgedStarted, waitUntilServes, webPodText, type PodInRuntime,
} from '../helpers/edged-runtime-probe.js';
import { waitFor } from '../helpers/edge-process.js';

const FIRST_POD_MS = 60_000;
const WAIT_MS = 30_000;
const RECONNECT_MS = 45_000;
/** Relists run every second in these setups: a few of them give a wrong adoption time to show. */
const SETTLE_MS = 4_000;

const edged = useEdgedRuntime('restart-1');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('edged across agent restarts and reboots', () => {
  it('SIGTERM stops the agent and leaves the pod running; the next agent adopts it unchanged', async () => {
    const s = edged.setup();
    const c = edged.cri();
    const pod = await createWebPod(s, c, 'term-web', FIRST_POD_MS);
    setEdgeLogLevel(s.configFile, 'info');

    expect(await s.edge.stop('SIGTERM')).toBe(0);
    // The agent is gone; its containerd and the pod are not.
    expect(await serves(pod.podIP, 8080, webPodText(pod.name))).toBe(true);
    const whileDown = await podInRuntime(c, pod.uid);
    expectSingle(whileDown);
    expect(whileDown.runningContainers[0]?.id).toBe(pod.containerId);

    await s.startEdge();
    await waitFor(() => s.edge.endpoints()?.connection === 'connected', RECONNECT_MS, () => s.edge.output().slice(-4000));
    await waitForEdgedStarted(s, WAIT_MS);
    await sleep(SETTLE_MS);

    const after = await podInRuntime(c, pod.uid);
    expectSingle(after);
    expect(after.runningContainers[0]?.id).toBe(pod.containerId);
    expect(after.readySandboxes[0]?.id).toBe(pod.sandboxId);
    expect(after.containers, describeRuntime(after)).toHaveLength(1);
    const status = await waitForPod(s, pod.name, (p) => p.status?.phase === 'Running', WAIT_MS);
    expect(runtimeIdOf(status.status?.containerStatuses?.[0]?.containerID)).toBe(pod.containerId);
    expect(status.status?.containerStatuses?.[0]?.restartCount).toBe(pod.restartCount);
    expect(status.status?.podIP).toBe(pod.podIP);
    await waitUntilServes(pod.podIP, 8080, webPodText(pod.name), WAIT_MS);
  }, 240_000);

  it('a machine reboot (containerd and every pod stopped) with the cloud away: the pod comes back from edge.db', async () => {
    const s = edged.setup();
    const c = edged.cri();
    const pod = await createWebPod(s, c, 'reboot-web', FIRST_POD_MS);

    await s.edge.stop('SIGKILL');
    await s.cloud.stop('SIGKILL');
    resetEdgeRuntime(s.edgeDir, s.node);
    // Nothing runs any more: no containerd answers on the edge's socket, and the pod IP is silent.
    expect((await c.version()).ok).toBe(false);
    expect(await serves(pod.podIP, 8080, webPodText(pod.name))).toBe(false);
    // As after a real reboot, no cgroup folder of the old pod is left (outpost reset cleans the host).
    for (const id of [pod.containerId, pod.sandboxId]) expect(cgroupFoldersOf(id), `cgroup folders of ${id}`).toEqual([]);

    await s.startEdge();
    expect(s.edge.endpoints()?.connection).toBe('disconnected');
    let runtime: PodInRuntime | undefined;
    await waitFor(async () => {
      try {
        runtime = await podInRuntime(c, pod.uid);
      } catch {
        return false; // containerd is still starting
      }
      return runtime.readySandboxes.length === 1 && runtime.runningContainers.length === 1;
    }, FIRST_POD_MS, () => `pod not back after the reboot: ${runtime === undefined ? 'runtime down' : describeRuntime(runtime)}\n${s.edge.output().slice(-4000)}`);
    const back = the(runtime);
    expect(back.readySandboxes[0]?.id).not.toBe(pod.sandboxId);
    expect(back.runningContainers[0]?.id).not.toBe(pod.containerId);
    const newIp = await sandboxIp(c, the(back.readySandboxes[0]).id);
    await waitUntilServes(newIp, 8080, webPodText(pod.name), WAIT_MS);
    await sleep(SETTLE_MS);
    expectSingle(await podInRuntime(c, pod.uid));

    await s.restartCloud();
    await waitFor(() => s.edge.endpoints()?.connection === 'connected', RECONNECT_MS, () => s.edge.output().slice(-4000));
    const reported = await waitForPod(
      s, pod.name,
      (p) => p.status?.phase === 'Running' && runtimeIdOf(p.status.containerStatuses?.[0]?.containerID) === back.runningContainers[0]?.id,
      RECONNECT_MS,
    );
    expect(reported.status?.podIP).toBe(newIp);
    expect(reported.status?.containerStatuses?.[0]?.ready).toBe(true);
    const final = await podInRuntime(c, pod.uid);
    expectSingle(final);
    // reset removed the old sandbox and container: only the new ones exist.
    expect(final.sandboxes, describeRuntime(final)).toHaveLength(1);
    expect(final.containers, describeRuntime(final)).toHaveLength(1);
    expect(final.runningContainers[0]?.id).toBe(back.runningContainers[0]?.id);
    await waitUntilServes(newIp, 8080, webPodText(pod.name), WAIT_MS);
  }, 300_000);

  it('a container killed behind edged\'s back is restarted (PLEG), restartCount + 1', async () => {
    const s = edged.setup();
    const c = edged.cri();
    const pod = await createWebPod(s, c, 'killed-web', FIRST_POD_MS);

    killTask(edgeSocket(s), pod.containerId);
    const restarted = await waitForPod(
      s, pod.name,
      (p) => p.status?.containerStatuses?.[0]?.restartCount === pod.restartCount + 1 && p.status.containerStatuses[0].ready,
      WAIT_MS,
    );
    const newId = runtimeIdOf(restarted.status?.containerStatuses?.[0]?.containerID);
    expect(newId).not.toBe(pod.containerId);
    expect(restarted.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(137);
    await waitUntilServes(pod.podIP, 8080, webPodText(pod.name), WAIT_MS);

    const runtime = await podInRuntime(c, pod.uid);
    expectSingle(runtime);
    expect(runtime.runningContainers[0]?.id).toBe(newId);
    // Besides the new one, at most the dead instance kubelet keeps for lastState and logs --previous.
    expect(runtime.containers.filter((x) => x.id !== newId).map((x) => x.state), describeRuntime(runtime)).toEqual(['CONTAINER_EXITED']);
    expect(runtime.sandboxes, describeRuntime(runtime)).toHaveLength(1);
    // The same sandbox: only the container was restarted.
    expect(runtime.readySandboxes[0]?.id).toBe(pod.sandboxId);
    expect(restarted.status?.podIP).toBe(pod.podIP);
  }, 180_000);
});
