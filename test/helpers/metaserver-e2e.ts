import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { rawClient, readKubeconfig } from './api-client.js';
import { hubPortOf } from './channel-e2e.js';
import { startCloud, type CloudProcess } from './cloud-process.js';
import { createNodeCredentials, startEdge, waitFor, writeEdgeConfig, type EdgeProcess } from './edge-process.js';
import { createKubectl, type Kubectl } from './kubectl.js';
import { tempDir } from './paths.js';

/** One cloudcore and one edgecore (real processes), the edge dialing the hub directly. */
export interface MetaSetup {
  cloud: CloudProcess;
  edge: EdgeProcess;
  api: ReturnType<typeof rawClient>;
  node: string;
  edgeDir: string;
  configFile: string;
  /** MetaServer's http://127.0.0.1:PORT (from endpoints.json). */
  metaserver(): string;
  /** A kubectl whose kubeconfig points at MetaServer with no credentials (plain HTTP). */
  kubectl(): Kubectl;
  /** A kubectl for MetaServer over HTTPS (pinned edge-local CA) with the token: client-go sends tokens only over TLS. */
  kubectlWithToken(): Kubectl;
  token(): string;
  restartEdge(extraArgs?: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startMetaSetup(options: { node?: string; edgeConfig?: Record<string, unknown> } = {}): Promise<MetaSetup> {
  const node = options.node ?? 'meta-1';
  const cloud = await startCloud();
  const edgeDir = tempDir('edge');
  await createNodeCredentials(cloud.dataDir, edgeDir, node);
  const configFile = writeEdgeConfig(edgeDir, node, `wss://127.0.0.1:${hubPortOf(cloud)}`, options.edgeConfig ?? {});
  const setup: MetaSetup = {
    cloud,
    edge: await startEdge(configFile, edgeDir, node),
    api: rawClient(readKubeconfig(cloud.kubeconfig)),
    node,
    edgeDir,
    configFile,
    metaserver() {
      const url = setup.edge.endpoints()?.metaserver;
      if (url === undefined) throw new Error('edge endpoints.json has no metaserver address');
      return url;
    },
    kubectl() {
      return createKubectl(writeKubeconfig({ server: setup.metaserver() }, {}));
    },
    kubectlWithToken() {
      const endpoints = setup.edge.endpoints();
      if (endpoints?.metaserverTls === undefined || endpoints.metaserverCa === undefined) throw new Error('edge endpoints.json has no MetaServer TLS address');
      return createKubectl(writeKubeconfig({ server: endpoints.metaserverTls, 'certificate-authority': endpoints.metaserverCa }, { token: setup.token() }));
    },
    token() {
      return readFileSyncTrim(join(edgeDir, 'edges', node, 'metaserver.token'));
    },
    async restartEdge(extraArgs = []) {
      setup.edge = await startEdge(configFile, edgeDir, node, extraArgs);
    },
    async stop() {
      await setup.edge.stop('SIGKILL');
      await setup.cloud.stop('SIGKILL');
    },
  };
  await waitFor(() => setup.edge.endpoints()?.connection === 'connected', 30_000, () => `edge not connected:\n${setup.edge.output()}`);
  return setup;
}

/** A kubeconfig for MetaServer (cluster and user entries as given), in a fresh folder; returns its path. */
export function writeKubeconfig(cluster: Record<string, string>, user: Record<string, string>, dir = tempDir('meta-kubeconfig')): string {
  const file = join(dir, 'config');
  writeFileSync(file, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'edge',
    clusters: [{ name: 'edge', cluster }],
    users: [{ name: 'edge-user', user }],
    contexts: [{ name: 'edge', context: { cluster: 'edge', user: 'edge-user' } }],
  }));
  return file;
}

function readFileSyncTrim(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

export interface MetaList {
  metadata: { resourceVersion: string };
  items: Array<{ metadata: { name: string; uid: string; resourceVersion: string; labels?: Record<string, string> } }>;
}

/** GETs a MetaServer path as JSON. */
export async function metaGet<T = MetaList>(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as T };
}

export function podFor(name: string, node: string, labels: Record<string, string> = { app: 'meta' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] } };
}
