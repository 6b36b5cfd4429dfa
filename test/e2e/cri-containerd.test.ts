/**
 * The CRI client against a real containerd of its own (test/helpers/containerd-runtime.ts), with
 * the local busybox and pause images and a CNI bridge on the runtime's own pod subnet.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCri, startTestRuntime, type TestRuntime } from '../helpers/containerd-runtime.js';
import { nanosToDate, type ContainerConfig, type CriClient, type NamespaceOption, type PodSandboxConfig } from '../../edgecore/edged/cri/index.js';

const BUSYBOX = 'outpost.local/busybox:1';

let runtime: TestRuntime | undefined;
let client: CriClient;

beforeAll(async () => {
  runtime = await startTestRuntime();
  client = await connectCri(runtime);
});

afterAll(async () => {
  client?.close();
  await runtime?.stop();
});

function theRuntime(): TestRuntime {
  if (runtime === undefined) throw new Error('the test runtime did not start');
  return runtime;
}

function value<T>(result: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

/** A pod's sandbox config as a pod worker builds it; the log folder exists beforehand, as kubelet makes it. */
function sandboxOf(name: string, namespaceOptions: NamespaceOption): PodSandboxConfig {
  const uid = `uid-${name}`;
  const logDirectory = join(theRuntime().edgeDir, 'pods', `default_${name}_${uid}`);
  mkdirSync(join(logDirectory, 'app'), { recursive: true });
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    // runc fails to set a hostname in the host's UTS namespace: host-network pods send none.
    hostname: namespaceOptions.network === 'NODE' ? '' : name,
    logDirectory,
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.uid': uid },
    annotations: { 'test/annotation': name },
    linux: { securityContext: { namespaceOptions } },
  };
}

function containerOf(sandbox: PodSandboxConfig, command: string[]): ContainerConfig {
  return {
    metadata: { name: 'app', attempt: 0 },
    image: { image: BUSYBOX },
    command,
    envs: [{ key: 'GREETING', value: 'hi' }],
    labels: { 'io.kubernetes.container.name': 'app', 'io.kubernetes.pod.uid': sandbox.metadata.uid },
    logPath: join('app', '0.log'),
    // containerd takes the container's namespaces from here, not from the sandbox (as kubelet does).
    linux: { securityContext: { namespaceOptions: sandbox.linux?.securityContext?.namespaceOptions ?? {} } },
  };
}

async function removePod(sandboxId: string): Promise<void> {
  const containers = value(await client.listContainers({ podSandboxId: sandboxId }));
  for (const container of containers) {
    value(await client.stopContainer(container.id, 0));
    value(await client.removeContainer(container.id));
  }
  value(await client.stopPodSandbox(sandboxId));
  value(await client.removePodSandbox(sandboxId));
}

describe('CRI client against containerd', () => {
  it('reads the runtime version and its conditions', async () => {
    const version = value(await client.version());
    expect(version.runtimeName).toBe('containerd');
    expect(version.runtimeApiVersion).toBe('v1');
    const status = value(await client.status());
    expect(status.conditions.filter((condition) => condition.status).map((condition) => condition.type)).toEqual(expect.arrayContaining(['RuntimeReady', 'NetworkReady']));
  });

  it('reports a present image, answers a missing one with no image, and fails an offline pull clearly', async () => {
    const present = value(await client.imageStatus(BUSYBOX));
    expect(present.image?.repoTags).toContain(BUSYBOX);
    expect(present.image?.size).toBeGreaterThan(0);
    expect(value(await client.imageStatus('outpost.local/missing:1')).image).toBeUndefined();
    expect(value(await client.listImages()).flatMap((image) => image.repoTags)).toEqual(expect.arrayContaining([BUSYBOX, 'outpost.local/pause:1']));

    const pulled = await client.pullImage('outpost.local/missing:1');
    expect(pulled.ok).toBe(false);
    expect(!pulled.ok && pulled.message).toContain('outpost.local/missing:1');
    // Removing an absent image is not an error (api.proto: RemoveImage is idempotent).
    expect(value(await client.removeImage('outpost.local/missing:1'))).toBeUndefined();
  });

  it('runs a pod on the CNI network: sandbox, container, exec, logs, then stops and removes it', async () => {
    const sandbox = sandboxOf('web', { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
    const sandboxId = value(await client.runPodSandbox(sandbox));
    const sandboxStatus = value(await client.podSandboxStatus(sandboxId)).status;
    expect(sandboxStatus.state).toBe('SANDBOX_READY');
    const subnetPrefix = theRuntime().podCidr.replace(/0\/24$/, '');
    expect(sandboxStatus.network?.ip.startsWith(subnetPrefix)).toBe(true);
    expect(sandboxStatus.annotations).toMatchObject({ 'test/annotation': 'web' });
    expect(value(await client.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.name': 'web' } })).map((item) => item.id)).toEqual([sandboxId]);

    const containerId = value(await client.createContainer(sandboxId, containerOf(sandbox, ['sh', '-c', 'echo $GREETING; exec sleep 3600']), sandbox));
    value(await client.startContainer(containerId));
    const status = value(await client.containerStatus(containerId)).status;
    expect(status.state).toBe('CONTAINER_RUNNING');
    expect(status.metadata.name).toBe('app');
    expect(nanosToDate(status.startedAt)?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(status.logPath).toBe(join(sandbox.logDirectory ?? '', 'app', '0.log'));

    const exec = value(await client.execSync(containerId, ['echo', 'hi'], 10));
    expect(exec).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
    const failing = value(await client.execSync(containerId, ['sh', '-c', 'echo oops >&2; exit 3'], 10));
    expect(failing).toEqual({ stdout: '', stderr: 'oops\n', exitCode: 3 });
    // The container wrote "hi" before the exec; containerd's CRI log line format: <time> stdout F <text>.
    expect(readFileSync(status.logPath, 'utf8')).toMatch(/^\S+ stdout F hi$/m);
    value(await client.reopenContainerLog(containerId));

    const listed = value(await client.listContainers({ podSandboxId: sandboxId, state: { state: 'CONTAINER_RUNNING' } }));
    expect(listed.map((container) => container.id)).toEqual([containerId]);

    value(await client.stopContainer(containerId, 0));
    const stopped = value(await client.containerStatus(containerId)).status;
    expect(stopped.state).toBe('CONTAINER_EXITED');
    expect(stopped.exitCode).toBe(137);
    await removePod(sandboxId);
    expect(await client.podSandboxStatus(sandboxId)).toMatchObject({ ok: false, code: 'NotFound' });
  });

  it('fails StartContainer of a missing command with the runtime message', async () => {
    const sandbox = sandboxOf('broken', { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
    const sandboxId = value(await client.runPodSandbox(sandbox));
    const containerId = value(await client.createContainer(sandboxId, containerOf(sandbox, ['no-such-command']), sandbox));
    const started = await client.startContainer(containerId);
    expect(started).toMatchObject({ ok: false, code: 'Internal' });
    expect(!started.ok && started.message).toContain('executable file not found in $PATH');
    const status = value(await client.containerStatus(containerId)).status;
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError' });
    expect(status.message).toContain('executable file not found in $PATH');
    await removePod(sandboxId);
  });

  it('runs a host-network pod with an empty hostname', async () => {
    const sandbox = sandboxOf('hostnet', { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' });
    const sandboxId = value(await client.runPodSandbox(sandbox));
    const sandboxStatus = value(await client.podSandboxStatus(sandboxId)).status;
    expect(sandboxStatus.linux?.namespaces?.options?.network).toBe('NODE');
    const containerId = value(await client.createContainer(sandboxId, containerOf(sandbox, ['sleep', '3600']), sandbox));
    value(await client.startContainer(containerId));
    expect(value(await client.containerStatus(containerId)).status.state).toBe('CONTAINER_RUNNING');
    // The host's network namespace brings the host's UTS namespace with it in containerd.
    expect(value(await client.execSync(containerId, ['hostname'], 10)).stdout.trim()).toBe(hostname());
    await removePod(sandboxId);
  });

  it('leaves nothing behind and answers NotFound for what was removed', async () => {
    expect(value(await client.listContainers())).toEqual([]);
    expect(value(await client.listPodSandbox())).toEqual([]);
    expect(await client.containerStatus('no-such-container')).toMatchObject({ ok: false, code: 'NotFound' });
  });
});
