import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeClient } from '../api/kube-client.js';
import { readKubeconfig } from '../api/kubeconfig.js';
import { stopAllChildren } from '../channel/child.js';
import { startCloud } from '../channel/cloud-launcher.js';
import { freePort } from '../shared/free-port.js';
import { machineFacts } from '../shared/machine-facts.js';
import { formatTable, ms, rate, type ReportRow } from '../shared/report-format.js';
import { createHollowNodes, inBatches, renewLeases } from './hollow-cluster.js';
import { now, PodTracker } from './pod-tracker.js';
import { waitUntil } from './wait-until.js';

export const CONTROLLERS_BENCHMARK_USAGE = `controllers [--nodes N] [--replicas R]
  Starts a real cloudcore with N hollow nodes (default 100: Node objects with Leases) and
  measures: a Deployment of R replicas (default 1,000) from create to every pod bound, the
  scheduler's throughput in pods/s, and a DaemonSet's rollout across all nodes (create, then an
  image change) with a hollow kubelet reporting its pods Running. Baseline, same run: the API's
  own pods/binding rate, R pods bound by hand at 16 in flight.`;

const GOAL_PODS_PER_SECOND = 500;
const WAIT_MS = 600_000;

/** Runs the benchmark: the table, then one JSON line, on stdout; progress on stderr. Cleans up always. */
export async function runControllersBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseArgs({ args: argv, options: { nodes: { type: 'string' }, replicas: { type: 'string' } }, allowPositionals: false });
  const nodes = Number(parsed.values.nodes ?? 100);
  const replicas = Number(parsed.values.replicas ?? 1000);
  if (!Number.isInteger(nodes) || nodes < 1 || !Number.isInteger(replicas) || replicas < 1) {
    console.error(`--nodes and --replicas must be positive integers\nusage: ${CONTROLLERS_BENCHMARK_USAGE}`);
    return 2;
  }
  const progress = (text: string): void => console.error(`[bench controllers ${new Date().toISOString().slice(11, 19)}] ${text}`);
  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-controllers-'));
  const stop = new AbortController();
  const onAbort = (): void => void stopAllChildren();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const environment = machineFacts();
    progress('starting cloudcore');
    const cloud = await startCloud({ dataDir: dir, ports: { api: await freePort(), hub: await freePort() }, timeoutMs: 60_000, signal });
    if (!cloud.ok) throw new Error(cloud.message);
    const creds = await readKubeconfig(cloud.value.endpoints.kubeconfig);
    if (!creds.ok) throw new Error(creds.message);
    const client = new KubeClient(creds.value);
    const names = Array.from({ length: nodes }, (_, i) => `hollow-${String(i).padStart(3, '0')}`);
    progress(`creating ${nodes} hollow nodes`);
    await createHollowNodes(client, names);
    renewLeases(client, names, stop.signal);
    const tracker = new PodTracker(client, 'bench-ds');
    await tracker.start();
    for (const ns of ['bench-baseline', 'bench-deploy', 'bench-ds']) await client.create('/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));

    progress(`baseline: ${replicas} pods bound by hand through pods/binding`);
    const podNames = Array.from({ length: replicas }, (_, i) => `manual-${i}`);
    await inBatches(podNames, 16, async (name) => {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { schedulerName: 'bench-by-hand', containers: [{ name: 'c', image: 'busybox' }] } };
      const made = await client.create('/api/v1/namespaces/bench-baseline/pods', JSON.stringify(pod));
      if (!made.ok) throw new Error(made.message);
    });
    const bindStart = now();
    let index = 0;
    await inBatches(podNames, 16, async (name) => {
      const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: names[index++ % names.length] } };
      const bound = await client.create(`/api/v1/namespaces/bench-baseline/pods/${name}/binding`, JSON.stringify(binding));
      if (!bound.ok) throw new Error(bound.message);
    });
    const manualRate = replicas / ((now() - bindStart) / 1000);

    progress(`a Deployment of ${replicas} replicas`);
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench' },
      spec: { replicas, selector: { matchLabels: { app: 'bench' } }, template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const deployStart = now();
    const created = await client.create('/apis/apps/v1/namespaces/bench-deploy/deployments', JSON.stringify(deployment));
    if (!created.ok) throw new Error(created.message);
    await waitUntil(() => tracker.boundIn('bench-deploy').length >= replicas, WAIT_MS, signal, () => `${tracker.boundIn('bench-deploy').length} of ${replicas} pods bound`);
    const binds = tracker.boundIn('bench-deploy').sort((a, b) => a - b);
    const allBoundMs = (binds[binds.length - 1] ?? deployStart) - deployStart;
    const bindSpanMs = (binds[binds.length - 1] ?? 0) - (binds[0] ?? 0);
    const schedulerRate = binds.length / Math.max(bindSpanMs / 1000, 0.001);

    progress(`a DaemonSet across ${nodes} nodes`);
    const ds = (image: string) => ({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'bench-ds' },
      spec: { selector: { matchLabels: { app: 'bench-ds' } }, template: { metadata: { labels: { app: 'bench-ds' } }, spec: { nodeSelector: { 'bench.outpost.dev/hollow': 'true' }, containers: [{ name: 'c', image }] } } },
    });
    const dsPath = '/apis/apps/v1/namespaces/bench-ds/daemonsets/bench-ds';
    const dsStatus = async (): Promise<{ done: boolean; text: string }> => {
      const res = await client.request('GET', dsPath);
      if (!res.ok || res.value.status !== 200) return { done: false, text: 'DaemonSet not readable' };
      const obj = JSON.parse(res.value.body.toString('utf8')) as { metadata: { generation?: number }; status?: Record<string, number> };
      const s = obj.status ?? {};
      const done = (s.observedGeneration ?? 0) >= (obj.metadata.generation ?? 1) && s.desiredNumberScheduled === nodes && s.updatedNumberScheduled === nodes && s.numberAvailable === nodes;
      return { done, text: JSON.stringify(s) };
    };
    let lastStatus = '';
    const dsDone = async (): Promise<boolean> => {
      const s = await dsStatus();
      lastStatus = s.text;
      return s.done;
    };
    const dsStart = now();
    const dsCreated = await client.create('/apis/apps/v1/namespaces/bench-ds/daemonsets', JSON.stringify(ds('busybox:1')));
    if (!dsCreated.ok) throw new Error(dsCreated.message);
    await waitUntil(dsDone, WAIT_MS, signal, () => `DaemonSet status ${lastStatus}`);
    const dsCreateMs = now() - dsStart;
    const rollStart = now();
    const patched = await client.request('PATCH', dsPath, JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } } }), 'application/strategic-merge-patch+json');
    if (!patched.ok || patched.value.status !== 200) throw new Error(`image change: ${patched.ok ? patched.value.status : patched.message}`);
    await waitUntil(dsDone, WAIT_MS, signal, () => `DaemonSet status ${lastStatus}`);
    const dsRollMs = now() - rollStart;
    tracker.stop();
    client.close();

    const rows: ReportRow[] = [
      { figure: `Deployment of ${replicas}: create -> all bound`, measured: ms(allBoundMs), goal: '', status: '' },
      { figure: 'scheduler throughput (first to last bind)', measured: rate(schedulerRate), goal: `>= ${GOAL_PODS_PER_SECOND}/s`, status: schedulerRate >= GOAL_PODS_PER_SECOND ? 'met' : 'NOT MET' },
      { figure: '  baseline: pods/binding by hand, 16 in flight', measured: rate(manualRate), goal: '', status: '' },
      { figure: `DaemonSet on ${nodes} nodes: create -> all available`, measured: ms(dsCreateMs), goal: '', status: '' },
      { figure: `DaemonSet rolling update (maxUnavailable 1)`, measured: ms(dsRollMs), goal: '', status: '' },
    ];
    console.log(`Outpost controllers benchmark (node ${environment.node}, ${environment.platform}, ${environment.cpus} x ${environment.cpuModel}, load average ${environment.loadAverageAtStart.toFixed(2)} at start)\n`);
    console.log(formatTable(rows, 'met?').join('\n'));
    console.log(JSON.stringify({ benchmark: 'controllers', environment, nodes, replicas, allBoundMs, bindSpanMs, schedulerRate, manualRate, dsCreateMs, dsRollMs }));
    return 0;
  } catch (err) {
    console.error(`[bench controllers] failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    stop.abort();
    signal.removeEventListener('abort', onAbort);
    await stopAllChildren();
    await rm(dir, { recursive: true, force: true });
  }
}
