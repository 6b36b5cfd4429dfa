/**
 * Looks at an edge's pods from outside, for the edged restart and offline e2e tests: the edge's own
 * containerd through CRI and `ctr`, the pod's HTTP text on its pod IP, and cgroup folders left on
 * the host.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { containerdLayout } from '../../edgecore/edged/containerd/index.js';
import { createCriClient, type Container, type CriClient, type PodSandbox } from '../../edgecore/edged/cri/index.js';
import { LABELS } from '../../edgecore/edged/podspec/index.js';
import { waitForPod, webPod, type EdgedSetup } from './edged-e2e.js';
import { waitFor } from './edge-process.js';

/** The unix socket of the edge's own containerd (for `ctr -a`). */
export function edgeSocket(setup: Pick<EdgedSetup, 'edgeDir' | 'node'>): string {
  return containerdLayout(join(setup.edgeDir, 'edges', setup.node)).socket;
}

/** A CRI client on the edge's own containerd; close() it after use. */
export function edgeCri(setup: Pick<EdgedSetup, 'edgeDir' | 'node'>): CriClient {
  return createCriClient({ endpoint: `unix://${edgeSocket(setup)}` });
}

/** `ctr -a SOCK -n k8s.io ARGS…`; throws with its stderr when it fails. */
export function ctr(socket: string, args: string[]): string {
  const result = spawnSync('ctr', ['-a', socket, '-n', 'k8s.io', ...args], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`ctr ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** SIGKILL to a container's task, behind edged's back. */
export function killTask(socket: string, containerId: string): void {
  ctr(socket, ['tasks', 'kill', '-s', 'KILL', containerId]);
}

/** What the runtime holds for one pod uid (by the kubelet label, whoever made it). */
export interface PodInRuntime {
  sandboxes: PodSandbox[];
  containers: Container[];
  readySandboxes: PodSandbox[];
  runningContainers: Container[];
}

export async function podInRuntime(cri: CriClient, uid: string): Promise<PodInRuntime> {
  const sandboxes = await cri.listPodSandbox({ labelSelector: { [LABELS.podUid]: uid } });
  if (!sandboxes.ok) throw new Error(`listing sandboxes of ${uid}: ${sandboxes.message}`);
  const containers = await cri.listContainers({ labelSelector: { [LABELS.podUid]: uid } });
  if (!containers.ok) throw new Error(`listing containers of ${uid}: ${containers.message}`);
  return {
    sandboxes: sandboxes.value,
    containers: containers.value,
    readySandboxes: sandboxes.value.filter((s) => s.state === 'SANDBOX_READY'),
    runningContainers: containers.value.filter((c) => c.state === 'CONTAINER_RUNNING'),
  };
}

export function describeRuntime(p: PodInRuntime): string {
  return JSON.stringify({
    sandboxes: p.sandboxes.map((s) => `${s.id.slice(0, 12)} ${s.state} attempt=${s.metadata.attempt}`),
    containers: p.containers.map((c) => `${c.id.slice(0, 12)} ${c.metadata.name} ${c.state} attempt=${c.metadata.attempt} sandbox=${c.podSandboxId.slice(0, 12)}`),
  });
}

/** The pod IP of a sandbox, from its status. */
export async function sandboxIp(cri: CriClient, sandboxId: string): Promise<string> {
  const status = await cri.podSandboxStatus(sandboxId);
  if (!status.ok) throw new Error(`sandbox ${sandboxId}: ${status.message}`);
  return status.value.status.network?.ip ?? '';
}

/**
 * GET http://host:port/ and its body, or undefined when nothing answers. The sandbox's egress
 * proxy answers unroutable addresses with its own 404, so callers must check the body's text.
 */
export function httpBody(host: string, port: number, timeoutMs = 3_000): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** True when host:port answers 200 with a body holding `text`. */
export async function serves(host: string, port: number, text: string): Promise<boolean> {
  const answer = await httpBody(host, port);
  return answer !== undefined && answer.status === 200 && answer.body.includes(text);
}

export async function waitUntilServes(host: string, port: number, text: string, timeoutMs: number): Promise<void> {
  let last: { status: number; body: string } | undefined;
  await waitFor(async () => {
    last = await httpBody(host, port);
    return last !== undefined && last.status === 200 && last.body.includes(text);
  }, timeoutMs, () => `http://${host}:${port}/ does not serve "${text}": ${last === undefined ? 'no answer' : `${last.status} ${last.body.slice(0, 200)}`}`);
}

/** Folders named after a container or sandbox id (or starting with it) in any cgroup hierarchy. */
export function cgroupFoldersOf(id: string): string[] {
  const result = spawnSync('find', ['/sys/fs/cgroup', '-maxdepth', '5', '-type', 'd', '-name', `${id}*`], { encoding: 'utf8', timeout: 30_000 });
  // An empty answer must mean "none left", never "find did not run".
  if (result.error !== undefined) throw result.error;
  return result.stdout.split('\n').filter((line) => line !== '');
}

/** Rewrites the edge config's logLevel (e.g. 'info', so the output says when edged has started). */
export function setEdgeLogLevel(configFile: string, level: string): void {
  const config = parseYaml(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(configFile, stringify({ ...config, logLevel: level }));
}

/** Waits until this edge process logged that edged started (needs logLevel info). */
export async function waitForEdgedStarted(setup: EdgedSetup, timeoutMs: number): Promise<void> {
  await waitFor(() => setup.edge.output().includes('edged started'), timeoutMs, () => `edged did not start:\n${setup.edge.output().slice(-4000)}`);
}

/** A web pod (webPod) as it runs: its status in the cloud and its one sandbox and container. */
export interface RunningWebPod {
  name: string;
  uid: string;
  podIP: string;
  /** The runtime id, without the "containerd://" of the status. */
  containerId: string;
  restartCount: number;
  sandboxId: string;
}

/** The text webPod's server answers. */
export const webPodText = (name: string): string => `hello from ${name}`;

/** "containerd://ID" → "ID". */
export const runtimeIdOf = (containerID: string | undefined): string => (containerID ?? '').replace(/^[a-z]+:\/\//, '');

/** Reads a Running, ready web pod from the cloud's status and the runtime, checking it is not duplicated. */
export async function readWebPod(setup: EdgedSetup, cri: CriClient, name: string, timeoutMs: number): Promise<RunningWebPod> {
  const pod = await waitForPod(setup, name, (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready === true && (p.status.podIP ?? '') !== '', timeoutMs);
  const status = pod.status?.containerStatuses?.[0];
  const inRuntime = await podInRuntime(cri, pod.metadata.uid);
  if (inRuntime.readySandboxes.length !== 1 || inRuntime.runningContainers.length !== 1) throw new Error(`pod ${name} is not exactly one sandbox and one container: ${describeRuntime(inRuntime)}`);
  return {
    name,
    uid: pod.metadata.uid,
    podIP: pod.status?.podIP ?? '',
    containerId: runtimeIdOf(status?.containerID),
    restartCount: status?.restartCount ?? -1,
    sandboxId: inRuntime.readySandboxes[0]?.id ?? '',
  };
}

/** Creates webPod(name) on the setup's node and waits until it is Running and serves its text. */
export async function createWebPod(setup: EdgedSetup, cri: CriClient, name: string, timeoutMs = 60_000): Promise<RunningWebPod> {
  const created = await setup.api('POST', '/api/v1/namespaces/default/pods', webPod(name, setup.node));
  if (created.status !== 201) throw new Error(`creating pod ${name}: ${created.status} ${created.body}`);
  const pod = await readWebPod(setup, cri, name, timeoutMs);
  await waitUntilServes(pod.podIP, 8080, webPodText(name), 30_000);
  return pod;
}

