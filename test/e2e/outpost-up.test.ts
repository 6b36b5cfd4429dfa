/**
 * `outpost up --edges 2` as a user runs it (issue 18, "Done when"): a real process whose stdout is
 * no terminal (plain progress lines), real containerd per edge, real kubectl 1.32. It comes up
 * with the demo (Deployment web, DaemonSet edge-agent, thermostat twin) and its summary; Ctrl-C
 * leaves the pods running and no agent behind; a second `up` adopts the same containers; `outpost
 * reset` leaves no process, container, bridge, netns or mount. One hub for the whole file: the
 * steps run in order on it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerdLayout } from '../../edgecore/edged/containerd/index.js';
import { clusterCidrFor } from '../helpers/cluster-cidr.js';
import { fetchBody, serves, waitForBody } from '../helpers/edged-e2e.js';
import { hostProcesses, isAlive, linkExists, mountsUnder, runtimeTasks, type RuntimeTask } from '../helpers/host-leftovers.js';
import { createKubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

const EDGES = ['edge-1', 'edge-2'];
const UP_MS = 180_000;
const dataDir = tempDir('outpost-up');
const kubeconfig = join(dataDir, 'cloud', 'admin.kubeconfig');
const kubectl = createKubectl(kubeconfig);
const layouts = EDGES.map((edge) => containerdLayout(join(dataDir, 'edges', edge)));

interface UpRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startUp(): UpRun {
  const child = spawn(process.execPath, [
    OUTPOST_CLI, 'up', '--edges', '2', '--data-dir', dataDir, '--api-port', '0', '--hub-port', '0', '--bootstrap-port', '0',
    '--metaserver-port', '0', '--mqtt-port', '0', '--bind-address', '127.0.0.1', '--cluster-cidr', clusterCidrFor(dataDir),
  ]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitForSummary(run: UpRun): Promise<string> {
  const exitedEarly = new AbortController();
  void run.exited.then(() => exitedEarly.abort(new Error(`outpost up exited before its summary:\n${run.stdout()}\n${run.stderr().slice(-3000)}`)));
  await waitFor(() => run.stdout().includes('Press Ctrl-C to stop.'), { timeoutMs: UP_MS, intervalMs: 100, signal: exitedEarly.signal, description: () => `the summary of outpost up:\n${run.stdout()}\n${run.stderr().slice(-3000)}` });
  return run.stdout();
}

async function stopWithCtrlC(run: UpRun): Promise<void> {
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
}

interface DemoPod {
  name: string;
  uid: string;
  node: string;
  phase: string;
  restarts: string;
  containerId: string;
  ip: string;
}

async function demoPods(app: string): Promise<DemoPod[]> {
  const out = await kubectl.ok(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.uid} {.spec.nodeName} {.status.phase} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].containerID} {.status.podIP}{"\\n"}{end}']);
  return out.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const [name = '', uid = '', node = '', phase = '', restarts = '', containerId = '', ip = ''] = line.split(' ');
    return { name, uid, node, phase, restarts, containerId, ip };
  });
}

async function reportedTemperature(): Promise<string> {
  return (await kubectl(['get', 'devicestatus', 'thermostat-1', '-o', 'jsonpath={.status.twins[?(@.propertyName=="temperature")].reported.value}'])).stdout;
}

const allTasks = (): RuntimeTask[] => layouts.flatMap((layout) => runtimeTasks(layout.socket));
const sorted = <T>(items: T[], key: (item: T) => string): T[] => [...items].sort((a, b) => key(a).localeCompare(key(b)));

let first: UpRun | undefined;
let podsBefore: DemoPod[] = [];
let tasksBefore: RuntimeTask[] = [];
let webUrl = '';
let second: UpRun | undefined;
let resetDone = false;

describe('outpost up --edges 2', () => {
  beforeAll(() => {
    first = startUp();
  });

  afterAll(async () => {
    for (const run of [first, second]) {
      if (run !== undefined && run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill('SIGKILL');
        await run.exited;
      }
    }
    if (!resetDone) spawnSync(process.execPath, [OUTPOST_CLI, 'reset', '--data-dir', dataDir], { encoding: 'utf8', timeout: 120_000 });
  }, 150_000);

  it('shows its steps and a summary; kubectl sees both nodes Ready, the demo pods Running and the twin changing', async () => {
    if (first === undefined) throw new Error('outpost up did not start');
    const out = await waitForSummary(first);
    for (const step of ['[up] starting the cloud', '[up] edge-1: joining with a token of its own', '[up] edge-2: starting containerd … running', '[up] edge-1: local images (pause, busybox) …', '[up] waiting for the demo pods to run … web 2/2, edge-agent 2/2 Running']) {
      expect(out).toContain(step);
    }
    // Log lines go to stderr: stdout holds the progress and the summary only.
    expect(out).not.toMatch(/^\{"level"/m);
    expect(out).toContain(`export KUBECONFIG=${kubeconfig}`);
    expect(out).toContain('$ kubectl get nodes,pods -o wide');
    expect(out).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION +INTERNAL-IP/m);
    for (const node of EDGES) expect(out).toMatch(new RegExp(`^node/${node} +Ready `, 'm'));
    expect(out).toMatch(/^pod\/web-\S+ +1\/1 +Running /m);
    expect(out).toMatch(/^pod\/edge-agent-\S+ +1\/1 +Running /m);
    expect(out).toMatch(/Device twin thermostat-1 on edge-1[^\n]*\n {2}temperature {2}reported \d+\.\d °C \(changing: \d+\.\d → /);
    const tries = out.slice(out.indexOf('Three things to try'));
    expect(tries.match(/^ {2}\d\. /gm)).toEqual(['  1. ', '  2. ', '  3. ']);
    expect(tries).toContain('mosquitto_sub -h 127.0.0.1 -p ');
    // The second thing to try works as printed.
    const status = spawnSync(process.execPath, [OUTPOST_CLI, 'status', '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 });
    expect(status.status, status.stderr).toBe(0);
    for (const node of EDGES) expect(status.stdout).toContain(node);
    const metaserver = /edge-1: MetaServer (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect((await fetch(`${metaserver ?? ''}/healthz`)).status).toBe(200);

    for (const node of EDGES) expect(await kubectl.ok(['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).toBe('True');
    const web = await demoPods('web');
    expect(web.map((p) => p.phase)).toEqual(['Running', 'Running']);
    const agents = await demoPods('edge-agent');
    expect(agents.map((p) => p.phase)).toEqual(['Running', 'Running']);
    expect(agents.map((p) => p.node).sort()).toEqual(EDGES);
    const firstReading = await reportedTemperature();
    expect(firstReading).toMatch(/^\d+\.\d$/);
    await waitFor(async () => (await reportedTemperature()) !== firstReading, { timeoutMs: 30_000, intervalMs: 500, description: `the reported temperature to change from ${firstReading}` });

    const pod = web[0];
    webUrl = `http://${pod?.ip ?? ''}:8080/`;
    expect(await waitForBody(webUrl, 'Hello from Outpost edge node')).toContain(`(pod ${pod?.name ?? ''})`);
    podsBefore = sorted([...web, ...agents], (p) => p.name);
    tasksBefore = sorted(allTasks(), (t) => t.id);
    // Four pods: a sandbox and a container each.
    expect(tasksBefore.filter((t) => t.status === 'RUNNING')).toHaveLength(8);
  }, UP_MS + 60_000);

  it('Ctrl-C stops the mapper, the agents and the cloud, names `outpost reset`, and leaves the pods running', async () => {
    if (first === undefined) throw new Error('outpost up did not start');
    const upPid = first.child.pid ?? -1;
    const mapper = hostProcesses().find((p) => p.ppid === upPid && p.cmdline.includes('thermostat-mapper'));
    expect(mapper).toBeDefined();
    await stopWithCtrlC(first);
    expect(first.stdout()).toContain('Pods keep running');
    expect(first.stdout()).toContain(`outpost reset --data-dir ${dataDir}`);
    expect(isAlive(mapper?.pid ?? -1)).toBe(false);
    expect(hostProcesses().filter((p) => p.cmdline.includes(OUTPOST_CLI) && p.cmdline.includes(dataDir))).toEqual([]);
    // Other test files may run mappers of their own: this run's is the one on this run's broker.
    expect(hostProcesses().filter((p) => p.cmdline === mapper?.cmdline)).toEqual([]);
    // The pods and each edge's containerd outlive the agents, as they outlive kubelet.
    expect(sorted(allTasks(), (t) => t.id)).toEqual(tasksBefore);
    expect(await fetchBody(webUrl)).toMatchObject({ body: expect.stringContaining('Hello from Outpost edge node') });
  }, 60_000);

  it('a second `outpost up` adopts the running pods (same pod UIDs, same containers, no restart); reset is refused while it runs', async () => {
    second = startUp();
    const out = await waitForSummary(second);
    expect(out).toContain('[up] edge-1: starting (joined on an earlier run)');
    expect(out).toContain('[up] edge-1: local images (pause, busybox) … already there');
    expect(out).toContain('already there (kept as they are)');
    const pods = sorted([...(await demoPods('web')), ...(await demoPods('edge-agent'))], (p) => p.name);
    expect(pods.map(({ name, uid, restarts, containerId, phase }) => ({ name, uid, restarts, containerId, phase }))).toEqual(
      podsBefore.map(({ name, uid, restarts, containerId, phase }) => ({ name, uid, restarts, containerId, phase })),
    );
    expect(sorted(allTasks(), (t) => t.id)).toEqual(tasksBefore);
    // A reset while the agents run is refused and changes nothing: they would start the pods again.
    const refused = spawnSync(process.execPath, [OUTPOST_CLI, 'reset', '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`still runs (pid ${second.child.pid ?? ''})`);
    expect(sorted(allTasks(), (t) => t.id)).toEqual(tasksBefore);
    await stopWithCtrlC(second);
  }, UP_MS + 60_000);

  it('`outpost reset` leaves no process, container, sandbox, bridge, netns or mount behind', async () => {
    const netnsMounts = mountsUnder([dataDir]).filter((m) => m.includes('/netns/'));
    expect(netnsMounts.length).toBeGreaterThanOrEqual(4);
    const reset = spawnSync(process.execPath, [OUTPOST_CLI, 'reset', '--data-dir', dataDir], { encoding: 'utf8', timeout: 120_000 });
    resetDone = true;
    expect(reset.status, reset.stderr).toBe(0);
    for (const edge of EDGES) expect(reset.stdout).toContain(`${edge}: pods and containerd stopped`);
    expect(hostProcesses().filter((p) => p.cmdline.includes(dataDir))).toEqual([]);
    for (const layout of layouts) expect(hostProcesses().filter((p) => p.cmdline.includes(layout.socket))).toEqual([]);
    for (const task of tasksBefore) expect(isAlive(task.pid), `task ${task.id}`).toBe(false);
    for (const layout of layouts) expect(linkExists(layout.bridgeName), layout.bridgeName).toBe(false);
    const socketDirs = layouts.map((l) => join(l.socket, '..'));
    expect(mountsUnder([dataDir, ...socketDirs])).toEqual([]);
    expect(await serves(webUrl, 'Hello from Outpost edge node')).toBe(false);
  }, 150_000);
});
