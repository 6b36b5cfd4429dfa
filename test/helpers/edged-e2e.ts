import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rawClient, readKubeconfig } from './api-client.js';
import { hubPortOf } from './channel-e2e.js';
import { startCloud, type CloudProcess } from './cloud-process.js';
import { createNodeCredentials, startEdge, waitFor, writeEdgeConfig, type EdgeProcess } from './edge-process.js';
import { createKubectl, type Kubectl } from './kubectl.js';
import { OUTPOST_CLI, tempDir } from './paths.js';

/** One cloudcore and one edgecore running pods through its own containerd (real processes). */
export interface EdgedSetup {
  cloud: CloudProcess;
  edge: EdgeProcess;
  api: ReturnType<typeof rawClient>;
  kubectl: Kubectl;
  node: string;
  edgeDir: string;
  configFile: string;
  startEdge(): Promise<EdgeProcess>;
  restartCloud(): Promise<void>;
  stop(): Promise<void>;
}

/** `edged` adds settings to the edge's edged section (e.g. log rotation sizes for a test). */
export async function startEdgedSetup(options: { node?: string; cloud?: CloudProcess; edged?: Record<string, unknown> } = {}): Promise<EdgedSetup> {
  const node = options.node ?? 'edged-1';
  const cloud = options.cloud ?? (await startCloud());
  const edgeDir = tempDir('edged');
  await createNodeCredentials(cloud.dataDir, edgeDir, node);
  const hubPort = hubPortOf(cloud);
  const configFile = writeEdgeConfig(edgeDir, node, `wss://127.0.0.1:${hubPort}`, { edged: { enabled: true, relistPeriodSeconds: 1, ...options.edged } });
  const setup: EdgedSetup = {
    cloud,
    edge: await startEdge(configFile, edgeDir, node),
    api: rawClient(readKubeconfig(cloud.kubeconfig)),
    kubectl: createKubectl(cloud.kubeconfig),
    node,
    edgeDir,
    configFile,
    async startEdge() {
      setup.edge = await startEdge(configFile, edgeDir, node);
      return setup.edge;
    },
    async restartCloud() {
      // The same hub port, so the edge finds it again; the API port is new, so are the clients.
      setup.cloud = await startCloud({ dataDir: setup.cloud.dataDir, args: ['--hub-port', String(hubPort)] });
      setup.api = rawClient(readKubeconfig(setup.cloud.kubeconfig));
      setup.kubectl = createKubectl(setup.cloud.kubeconfig);
    },
    async stop() {
      await setup.edge.stop('SIGKILL');
      if (options.cloud === undefined) await setup.cloud.stop('SIGKILL');
      resetEdgeRuntime(edgeDir, node);
    },
  };
  try {
    await waitFor(() => setup.edge.endpoints()?.connection === 'connected', 30_000, () => `edge not connected:\n${setup.edge.output()}`);
  } catch (err) {
    // The caller never gets the setup to stop: clean up here.
    await setup.stop().catch((cleanupErr: unknown) => console.error('cleanup after a failed setup:', cleanupErr));
    throw err;
  }
  return setup;
}

/** `outpost reset`: every pod and the containerd of this edge stopped, host leftovers removed. */
export function resetEdgeRuntime(edgeDataDir: string, node: string): void {
  const result = spawnSync(process.execPath, [OUTPOST_CLI, 'reset', '--data-dir', edgeDataDir, '--node', node], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`outpost reset failed (${result.status}): ${result.stderr}`);
}

export interface PodView {
  metadata: { name: string; uid: string };
  status?: {
    phase?: string;
    podIP?: string;
    hostIP?: string;
    containerStatuses?: Array<{
      name: string;
      ready: boolean;
      restartCount: number;
      containerID?: string;
      state?: Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>;
      lastState?: Record<string, { reason?: string; exitCode?: number } | undefined>;
    }>;
  };
}

export async function getPod(setup: Pick<EdgedSetup, 'api'>, name: string, namespace = 'default'): Promise<PodView | undefined> {
  const res = await setup.api('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
  return res.status === 200 ? res.json<PodView>() : undefined;
}

/** Waits until the pod satisfies `check`, describing its last status on timeout. */
export async function waitForPod(setup: EdgedSetup, name: string, check: (pod: PodView) => boolean, timeoutMs = 60_000): Promise<PodView> {
  let last: PodView | undefined;
  await waitFor(async () => {
    last = await getPod(setup, name);
    return last !== undefined && check(last);
  }, timeoutMs, () => `pod ${name}: ${JSON.stringify(last?.status)}\n--- edge output ---\n${setup.edge.output().slice(-4000)}`);
  if (last === undefined) throw new Error('unreachable');
  return last;
}

export function webPod(name: string, node: string, extra: { hostPort?: number; command?: string[]; restartPolicy?: string; image?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      nodeName: node,
      ...(extra.restartPolicy ? { restartPolicy: extra.restartPolicy } : {}),
      terminationGracePeriodSeconds: 2,
      containers: [
        {
          name: 'web',
          image: extra.image ?? 'outpost.local/busybox:1',
          command: extra.command ?? ['sh', '-c', 'mkdir -p /www && echo "hello from $POD_NAME" > /www/index.html && exec httpd -f -p 8080 -h /www'],
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          ports: [{ containerPort: 8080, ...(extra.hostPort ? { hostPort: extra.hostPort } : {}) }],
        },
      ],
    },
  };
}

export const edgeDataDirOf = (setup: EdgedSetup): string => join(setup.edgeDir, 'edges', setup.node);

/**
 * GET url and return the status and body, or the error. This sandbox's egress proxy answers any
 * unroutable address with an HTTP 404 of its own, so callers check the BODY for the pod's text,
 * never merely that something answered.
 */
export async function fetchBody(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { error: err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err) };
  }
}

/** True when GET url answers with a body that contains `text`. */
export async function serves(url: string, text: string, timeoutMs = 2_000): Promise<boolean> {
  const res = await fetchBody(url, timeoutMs);
  return 'body' in res && res.body.includes(text);
}

/** Waits until GET url answers with a body that contains `text`, describing the last answer on timeout. */
export async function waitForBody(url: string, text: string, timeoutMs = 30_000): Promise<string> {
  let last: Awaited<ReturnType<typeof fetchBody>> | undefined;
  await waitFor(async () => {
    last = await fetchBody(url);
    return 'body' in last && last.body.includes(text);
  }, timeoutMs, () => `${url} never served ${JSON.stringify(text)}; last answer: ${JSON.stringify(last)}`);
  return last !== undefined && 'body' in last ? last.body : '';
}

/** True when an IPv4 address lies in a CIDR (a.b.c.d/n). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const toInt = (a: string): number => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const [network, bits] = cidr.split('/');
  if (network === undefined || bits === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  const start = toInt(network);
  const value = toInt(ip);
  return value >= start && value < start + size;
}

/** PIDs of the containerd processes started with this edge's config (`containerd --config <edge>/containerd/config.toml`). */
export function containerdPidsOf(edgeDataDir: string): number[] {
  const configFile = join(edgeDataDir, 'containerd', 'config.toml');
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => line.includes('containerd') && line.includes(`--config ${configFile}`))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
