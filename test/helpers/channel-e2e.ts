import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFailed } from 'vitest';
import { rawClient, readKubeconfig } from './api-client.js';
import { startCloud, type CloudProcess } from './cloud-process.js';
import { createNodeCredentials, readEdgeInventory, startEdge, waitFor, writeEdgeConfig, type EdgeProcess } from './edge-process.js';
import { FlakyProxy } from './flaky-proxy.js';
import { tempDir } from './paths.js';

export type Api = ReturnType<typeof rawClient>;

/** One cloud, one edge named `node`, and a seeded flaky proxy between them (real processes, real TLS). */
export interface ChannelSetup {
  cloud: CloudProcess;
  edge: EdgeProcess;
  proxy: FlakyProxy;
  api: Api;
  node: string;
  edgeDir: string;
  configFile: string;
  restartCloud(): Promise<void>;
  restartEdge(): Promise<void>;
  stop(): Promise<void>;
}

export function hubPortOf(cloud: CloudProcess): number {
  const endpoints = JSON.parse(readFileSync(join(cloud.dataDir, 'cloud', 'endpoints.json'), 'utf8')) as { hub?: string };
  if (endpoints.hub === undefined) throw new Error('cloudcore endpoints.json has no hub address');
  return Number(new URL(endpoints.hub).port);
}

/** A seed for this run, printed when the test fails so the run can be replayed (CHANNEL_SEED=…). */
export function testSeed(): number {
  const seed = process.env.CHANNEL_SEED !== undefined ? Number(process.env.CHANNEL_SEED) : Math.floor(Math.random() * 2 ** 31);
  onTestFailed(() => console.error(`flaky proxy seed: ${seed} (replay with CHANNEL_SEED=${seed})`));
  return seed;
}

export async function startChannel(seed: number, node = 'edge-1'): Promise<ChannelSetup> {
  let cloud = await startCloud();
  const proxy = new FlakyProxy(seed, hubPortOf(cloud));
  const proxyPort = await proxy.start();
  const edgeDir = tempDir('edge');
  await createNodeCredentials(cloud.dataDir, edgeDir, node);
  const configFile = writeEdgeConfig(edgeDir, node, `wss://127.0.0.1:${proxyPort}`);
  let edge = await startEdge(configFile, edgeDir, node);
  const setup: ChannelSetup = {
    cloud,
    edge,
    proxy,
    api: rawClient(readKubeconfig(cloud.kubeconfig)),
    node,
    edgeDir,
    configFile,
    async restartCloud() {
      cloud = await startCloud({ dataDir: cloud.dataDir });
      setup.cloud = cloud;
      setup.api = rawClient(readKubeconfig(cloud.kubeconfig));
      proxy.setTarget(hubPortOf(cloud));
    },
    async restartEdge() {
      edge = await startEdge(configFile, edgeDir, node);
      setup.edge = edge;
    },
    async stop() {
      await setup.edge.stop('SIGKILL');
      await setup.cloud.stop('SIGKILL');
      await proxy.stop();
    },
  };
  return setup;
}

export function podManifest(name: string, node: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'channel' } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] } };
}

/** uid → resourceVersion of the pods bound to the node, as the API lists them. */
export async function cloudInventory(api: Api, node: string): Promise<Map<string, string>> {
  const res = await api('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
  if (res.status !== 200) throw new Error(`list pods: ${res.status} ${res.body}`);
  const items = res.json<{ items: Array<{ metadata: { uid: string; resourceVersion: string } }> }>().items;
  return new Map(items.map((p) => [p.metadata.uid, p.metadata.resourceVersion]));
}

export function sameMap(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export function diffMaps(cloud: Map<string, string>, edge: Map<string, string>): string {
  const missing = [...cloud].filter(([k, v]) => edge.get(k) !== v).length;
  const extra = [...edge.keys()].filter((k) => !cloud.has(k)).length;
  return `cloud ${cloud.size}, edge ${edge.size}, differing or missing on edge ${missing}, extra on edge ${extra}`;
}

/** Waits (up to 60 s) until the edge's edge.db holds exactly the cloud's pods for the node. */
export async function waitConverged(setup: ChannelSetup, extra: (cloud: Map<string, string>) => boolean = () => true): Promise<Map<string, string>> {
  let last = '';
  let result = new Map<string, string>();
  await waitFor(
    async () => {
      const cloud = await cloudInventory(setup.api, setup.node);
      const edge = readEdgeInventory(setup.edge.dbFile);
      last = diffMaps(cloud, edge);
      result = cloud;
      return sameMap(cloud, edge) && extra(cloud);
    },
    60_000,
    () => `not converged: ${last}`,
  );
  return result;
}

/** Runs writes a few at a time; failures (e.g. while cloudcore is being killed) are counted, not thrown. */
export async function runConcurrently(tasks: Array<() => Promise<unknown>>, parallel = 16): Promise<number> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        try {
          await task?.();
        } catch {
          failed++; // a write cut off by a kill is expected here; the caller decides what it means
        }
      }
    }),
  );
  return failed;
}

export async function waitEdgeConnected(setup: ChannelSetup): Promise<void> {
  await waitFor(() => setup.edge.endpoints()?.connection === 'connected', 60_000, () => `edge not connected:\n${setup.edge.output()}`);
}
