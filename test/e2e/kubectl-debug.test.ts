/**
 * `kubectl debug` through cloudcore on a real edge: an ephemeral container added through
 * `pods/{name}/ephemeralcontainers` runs in the pod's sandbox with the target's PID namespace
 * (docs/protocol.md R47), its status comes back as ephemeralContainerStatuses, attach and logs
 * reach it by name; `kubectl debug node/x` creates a host-namespace pod with the node's root at
 * /host (its PodSpec sent as protobuf). Real processes: cloudcore, edgecore with its own
 * containerd, kubectl 1.32, and script(1) for a terminal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { hostname } from 'node:os';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { getPod, startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { edgeCri, podInRuntime } from '../helpers/edged-runtime-probe.js';
import { kubectlBinary } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';

const IMAGE = 'outpost.local/busybox:1';

interface ContainerStatus {
  name: string;
  state?: { running?: unknown; terminated?: { exitCode?: number }; waiting?: { reason?: string } };
}
interface DebugPod {
  spec: { ephemeralContainers?: Array<{ name: string; targetContainerName?: string }> };
  status?: { ephemeralContainerStatuses?: ContainerStatus[] };
}

/** A kubectl whose output is collected as it comes. */
interface LiveKubectl {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  exited: Promise<number | null>;
}

function live(command: string, args: string[]): LiveKubectl {
  const child = spawn(command, args, { env: { ...process.env, HOME: tempDir('kubectl-home') }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => out, exited };
}

describe('kubectl debug: ephemeral containers and node debugging on a real edge', () => {
  let setup: EdgedSetup;
  const waitForOutput = (k: LiveKubectl, text: string) => waitFor(() => k.output().includes(text), 60_000, () => `kubectl never printed ${JSON.stringify(text)}:\n${k.output()}`);
  const debugPod = async (): Promise<DebugPod> => (await setup.api('GET', '/api/v1/namespaces/default/pods/target')).json<DebugPod>();
  const ephemeralStatus = async (name: string): Promise<ContainerStatus | undefined> => (await debugPod()).status?.ephemeralContainerStatuses?.find((s) => s.name === name);

  beforeAll(async () => {
    setup = await startEdgedSetup({ node: 'debug-1' });
    // A process the debugger can only see by sharing the target's PID namespace.
    const target = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'target', namespace: 'default' },
      spec: { nodeName: setup.node, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: IMAGE, command: ['sleep', '31337'] }] },
    };
    const res = await setup.api('POST', '/api/v1/namespaces/default/pods', target);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
    await waitForPod(setup, 'target', (p) => (p.status?.containerStatuses ?? []).some((c) => c.state?.running !== undefined));
  }, 180_000);

  afterAll(async () => {
    await setup?.stop();
  }, 180_000);

  it('debug -it --target runs a command in the pod that sees the target\'s processes, on a terminal', async () => {
    // The command waits for a line, so its output can only come through attach, on the terminal.
    const command = `${kubectlBinary()} --kubeconfig ${setup.cloud.kubeconfig} debug -it target --image=${IMAGE} --target=app -- sh -c 'read line; test -t 0 && echo tty-$line; ps'`;
    const k = live('script', ['-qec', command, '/dev/null']);
    await waitForOutput(k, "If you don't see a command prompt");
    k.child.stdin.write('xyz\n');
    await waitForOutput(k, 'tty-xyz');
    await waitForOutput(k, 'sleep 31337');
    expect(await k.exited).toBe(0);
    const pod = await debugPod();
    const added = pod.spec.ephemeralContainers ?? [];
    expect(added).toEqual([expect.objectContaining({ name: expect.stringMatching(/^debugger-/), targetContainerName: 'app' })]);
    const name = added[0]?.name ?? '';
    let last: ContainerStatus | undefined;
    await waitFor(async () => (last = await ephemeralStatus(name))?.state?.terminated !== undefined, 60_000, () => `no terminated status: ${JSON.stringify(last)}`);
    expect((await ephemeralStatus(name))?.state?.terminated?.exitCode).toBe(0);
  }, 120_000);

  it('debug without -i adds a container that logs and attach reach by name; get -o yaml shows spec and status', async () => {
    const script = 'i=0; while true; do echo dbg-tick $i; i=$((i+1)); sleep 0.5; done';
    const added = await setup.kubectl(['debug', 'target', `--image=${IMAGE}`, '--container=ticker', '--', 'sh', '-c', script], { timeoutMs: 60_000 });
    expect(added.stderr).not.toMatch(/error/i);
    expect(added.code).toBe(0);
    let last: ContainerStatus | undefined;
    await waitFor(async () => (last = await ephemeralStatus('ticker'))?.state?.running !== undefined, 60_000, () => `ticker never ran: ${JSON.stringify(last)}\n${setup.edge.output().slice(-3000)}`);
    await waitFor(async () => (await setup.kubectl(['logs', 'target', '-c', 'ticker'])).stdout.includes('dbg-tick 1'), 30_000, () => 'no logs from ticker');
    const attach = live(kubectlBinary(), ['--kubeconfig', setup.cloud.kubeconfig, 'attach', 'target', '-c', 'ticker']);
    await waitForOutput(attach, 'dbg-tick ');
    attach.child.kill('SIGTERM');
    await attach.exited;
    const yaml = (await setup.kubectl(['get', 'pod', 'target', '-o', 'yaml'])).stdout;
    expect(yaml).toMatch(/ephemeralContainers:\n\s+- command:/);
    expect(yaml).toMatch(/ephemeralContainerStatuses:\n\s+- containerID: containerd:\/\//);
  }, 120_000);

  it('refuses a duplicate name and a change to an existing ephemeral container, in Kubernetes\' words', async () => {
    const duplicate = await setup.kubectl(['debug', 'target', `--image=${IMAGE}`, '--container=app', '--', 'true'], { timeoutMs: 30_000 });
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/The Pod "target" is invalid: spec\.ephemeralContainers\[\d\]\.name: Duplicate value: "app"/);
    const index = (await debugPod()).spec.ephemeralContainers?.findIndex((c) => c.name === 'ticker') ?? -1;
    const change = [{ op: 'replace', path: `/spec/ephemeralContainers/${index}/image`, value: 'outpost.local/other:1' }];
    const res = await setup.api('PATCH', '/api/v1/namespaces/default/pods/target/ephemeralcontainers', change, { 'Content-Type': 'application/json-patch+json' });
    expect(res.status).toBe(422);
    expect(res.json<{ message: string }>().message).toContain('spec.ephemeralContainers[ticker]: Forbidden: existing ephemeral containers "ticker" may not be changed');
    const plainUpdate = await setup.api('PATCH', '/api/v1/namespaces/default/pods/target', { spec: { ephemeralContainers: [{ name: 'sneaky', image: IMAGE }] } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(plainUpdate.status).toBe(422);
    expect(plainUpdate.json<{ message: string }>().message).toContain('pod updates may not change fields other than');
  });

  it('debug --copy-to creates a copy of the whole pod, sent as protobuf, with a debugger beside the target', async () => {
    const copied = await setup.kubectl(['debug', 'target', '--copy-to=target-copy', `--image=${IMAGE}`, '--container=dbg', '--share-processes', '--', 'sleep', '300'], { timeoutMs: 60_000 });
    expect(copied.stderr).not.toMatch(/UnsupportedMediaType|not supported in protobuf|error/i);
    expect(copied.code).toBe(0);
    const copy = (await setup.api('GET', '/api/v1/namespaces/default/pods/target-copy')).json<{ spec: { shareProcessNamespace?: boolean; containers: Array<{ name: string }> } }>();
    expect(copy.spec.shareProcessNamespace).toBe(true);
    expect(copy.spec.containers.map((c) => c.name)).toEqual(['app', 'dbg']);
    await setup.kubectl.ok(['delete', 'pod', 'target-copy', '--wait=false']);
  });

  it('deleting the pod removes its ephemeral containers with it', async () => {
    const uid = (await getPod(setup, 'target'))?.metadata.uid ?? '';
    const cri = edgeCri(setup);
    try {
      const before = await podInRuntime(cri, uid);
      expect(before.runningContainers.map((c) => c.metadata.name).sort()).toEqual(['app', 'ticker']);
      expect(before.containers.map((c) => c.metadata.name)).toContainEqual(expect.stringMatching(/^debugger-/));
      await setup.kubectl.ok(['delete', 'pod', 'target', '--wait=false']);
      await waitFor(async () => (await getPod(setup, 'target')) === undefined, 60_000, () => 'pod target is still there');
      const after = await podInRuntime(cri, uid);
      expect(after.containers).toEqual([]);
      expect(after.sandboxes).toEqual([]);
    } finally {
      cri.close();
    }
  }, 90_000);

  it('debug node/x runs a pod in the node\'s namespaces with its root at /host, then the test deletes it', async () => {
    const ownPid = readlinkSync('/proc/self/ns/pid');
    const ownNet = readlinkSync('/proc/self/ns/net');
    // Without -i: an attach sees only what the container prints after it attached (CRI Attach, as
    // with kubelet), and this command is done at once; its output is read back with logs.
    const result = await setup.kubectl(
      ['debug', `node/${setup.node}`, `--image=${IMAGE}`, '--', 'sh', '-c', 'chroot /host cat /etc/hostname; readlink /proc/self/ns/pid; readlink /proc/self/ns/net'],
      { timeoutMs: 90_000 },
    );
    const created = /Creating debugging pod (\S+) with container debugger on node/.exec(result.stdout + result.stderr);
    const podName = created?.[1] ?? '';
    try {
      expect(result.stderr).not.toMatch(/UnsupportedMediaType|not supported in protobuf/);
      expect(result.code).toBe(0);
      expect(podName).toMatch(/^node-debugger-debug-1-/);
      await waitForPod(setup, podName, (p) => p.status?.phase === 'Succeeded', 60_000);
      const printed = await setup.kubectl.ok(['logs', podName]);
      expect(printed).toContain(`${hostname()}\n`);
      expect(printed).toContain(ownPid);
      expect(printed).toContain(ownNet);
      const pod = (await setup.api('GET', `/api/v1/namespaces/default/pods/${podName}`)).json<{ spec: Record<string, unknown> }>();
      expect(pod.spec).toMatchObject({ hostPID: true, hostNetwork: true, hostIPC: true, nodeName: setup.node, restartPolicy: 'Never' });
      expect(pod.spec.volumes).toContainEqual({ name: 'host-root', hostPath: { path: '/', type: '' } });
    } finally {
      if (podName !== '') await setup.kubectl(['delete', 'pod', podName, '--wait=false']);
    }
    await waitFor(async () => (await getPod(setup, podName)) === undefined, 60_000, () => `pod ${podName} is still there`);
  }, 120_000);
});
