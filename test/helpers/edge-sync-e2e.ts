import Database from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { rawClient, readKubeconfig } from './api-client.js';
import { hubPortOf, type Api } from './channel-e2e.js';
import { startCloud, type CloudProcess } from './cloud-process.js';
import { createNodeCredentials, startEdge, waitFor, writeEdgeConfig, type EdgeProcess } from './edge-process.js';
import { createKubectl, type Kubectl } from './kubectl.js';
import { writeKubeconfig as writeMetaKubeconfig } from './metaserver-e2e.js';
import { tempDir } from './paths.js';
import { asArr, asObj, comparableKey, rowKey, serviceAccountKeys, type Meta, type Obj } from './edge-sync-keys.js';
import { TlsTapProxy } from './tls-tap-proxy.js';

export { rowKey } from './edge-sync-keys.js';

/**
 * Edge metadata sync end to end (issue 5): one real cloudcore, one real edgecore, and a TLS tap
 * proxy between them that records the channel's plaintext and has a pause switch (the edge is
 * "cut off" while it is paused).
 */
export interface SyncSetup {
  cloud: CloudProcess;
  edge: EdgeProcess;
  tap: TlsTapProxy;
  api: Api;
  node: string;
  edgeDir: string;
  configFile: string;
  /** CloudHub's port; a restarted cloudcore binds the same one. */
  hubPort: number;
  metaserver(): string;
  /** kubectl against MetaServer, anonymous (plain HTTP). */
  kubectl(): Kubectl;
  /** kubectl against MetaServer over its TLS port with the edge's token (needed for secrets). */
  kubectlWithToken(): Kubectl;
  token(): string;
  /** Starts cloudcore again on the same data folder and the same hub port (after a stop). */
  restartCloud(): Promise<void>;
  restartEdge(): Promise<void>;
  waitConnected(timeoutMs?: number): Promise<void>;
  waitDisconnected(): Promise<void>;
  /** Kills both processes, closes the tap, and removes the data folders it made. */
  stop(): Promise<void>;
}

export async function startSyncSetup(options: { node?: string; edgeConfig?: Record<string, unknown> } = {}): Promise<SyncSetup> {
  const node = options.node ?? 'sync-1';
  const cloud = await startCloud();
  const hubPort = hubPortOf(cloud);
  const edgeDir = tempDir('edge');
  const pkiDir = await createNodeCredentials(cloud.dataDir, edgeDir, node);
  const tap = await TlsTapProxy.create({ cloudDataDir: cloud.dataDir, nodePkiDir: pkiDir, hubPort });
  let tapPort: number;
  try {
    tapPort = await tap.start();
  } catch (err) {
    await cloud.stop('SIGKILL');
    throw err;
  }
  const folders = [cloud.dataDir, edgeDir];
  const configFile = writeEdgeConfig(edgeDir, node, `wss://127.0.0.1:${tapPort}`, options.edgeConfig ?? {});
  const setup: SyncSetup = {
    cloud,
    // Assigned just below; a failed start must still stop the cloud and the tap.
    edge: undefined as unknown as EdgeProcess,
    tap,
    api: rawClient(readKubeconfig(cloud.kubeconfig)),
    node,
    edgeDir,
    configFile,
    hubPort,
    metaserver() {
      const url = setup.edge.endpoints()?.metaserver;
      if (url === undefined) throw new Error('edge endpoints.json has no metaserver address');
      return url;
    },
    kubectl() {
      return createKubectl(writeKubeconfig(folders, { server: setup.metaserver() }, {}));
    },
    kubectlWithToken() {
      const endpoints = setup.edge.endpoints();
      if (endpoints?.metaserverTls === undefined || endpoints.metaserverCa === undefined) throw new Error('edge endpoints.json has no MetaServer TLS address');
      return createKubectl(writeKubeconfig(folders, { server: endpoints.metaserverTls, 'certificate-authority': endpoints.metaserverCa }, { token: setup.token() }));
    },
    token() {
      return readTrimmed(join(edgeDir, 'edges', node, 'metaserver.token'));
    },
    async restartCloud() {
      // The last --hub-port wins (commander), so this overrides startCloud's `--hub-port 0`.
      setup.cloud = await startCloud({ dataDir: cloud.dataDir, args: ['--hub-port', String(hubPort)] });
      setup.api = rawClient(readKubeconfig(setup.cloud.kubeconfig));
    },
    async restartEdge() {
      setup.edge = await startEdge(configFile, edgeDir, node);
    },
    async waitConnected(timeoutMs = 15_000) {
      await waitFor(() => setup.edge.endpoints()?.connection === 'connected', timeoutMs, () => `edge not connected\n${logs(setup)}`);
    },
    async waitDisconnected() {
      await waitFor(() => setup.edge.endpoints()?.connection === 'disconnected', 15_000, () => `edge still connected\n${logs(setup)}`);
    },
    async stop() {
      await setup.edge?.stop('SIGKILL');
      await setup.cloud.stop('SIGKILL');
      await tap.stop();
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    },
  };
  try {
    setup.edge = await startEdge(configFile, edgeDir, node);
    await setup.waitConnected();
  } catch (err) {
    await setup.stop();
    throw err;
  }
  return setup;
}

/** The last lines of both processes' output, for failure messages. */
export function logs(setup: SyncSetup): string {
  return `cloud:\n${setup.cloud.output().slice(-3000)}\nedge:\n${setup.edge?.output().slice(-3000) ?? ''}`;
}

function writeKubeconfig(folders: string[], cluster: Record<string, string>, user: Record<string, string>): string {
  const dir = tempDir('sync-kubeconfig');
  folders.push(dir);
  return writeMetaKubeconfig(cluster, user, dir);
}

function readTrimmed(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** One row of edge.db's `objects` table (edgecore/metamanager/object-table.ts). */
export interface EdgeRow {
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  resource_version: string;
  json: string;
}

/** Every object row of edge.db, read with a read-only connection (the edge keeps running). */
export function readEdgeRows(dbFile: string): EdgeRow[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], EdgeRow>('SELECT uid, kind, namespace, name, resource_version, json FROM objects').all();
  } finally {
    db.close();
  }
}


export function edgeKeys(dbFile: string): string[] {
  return readEdgeRows(dbFile).map((r) => comparableKey(r.kind, r.namespace, r.name, r.uid, r.resource_version)).sort();
}

/** What a pod refers to by name, in its own namespace. */
export interface PodReferences {
  configMaps: Set<string>;
  secrets: Set<string>;
  serviceAccounts: Set<string>;
}

const nameOf = (v: unknown): string | undefined => {
  const n = asObj(v)?.name;
  return typeof n === 'string' && n !== '' ? n : undefined;
};

/**
 * The configmaps, secrets and service account a pod spec names, as Kubernetes' Node authorizer
 * graph collects them: env valueFrom and envFrom of every container kind, configMap/secret
 * volumes, projected sources and volume plugins' secret references, imagePullSecrets, the
 * service account.
 */
export function podReferences(pod: Obj): PodReferences {
  const refs: PodReferences = { configMaps: new Set(), secrets: new Set(), serviceAccounts: new Set() };
  const add = (set: Set<string>, name: string | undefined) => name !== undefined && set.add(name);
  const spec = asObj(pod.spec) ?? {};
  const containers = [...asArr(spec.containers), ...asArr(spec.initContainers), ...asArr(spec.ephemeralContainers)];
  for (const container of containers.map(asObj)) {
    for (const env of asArr(container?.env).map(asObj)) {
      const from = asObj(env?.valueFrom);
      add(refs.configMaps, nameOf(from?.configMapKeyRef));
      add(refs.secrets, nameOf(from?.secretKeyRef));
    }
    for (const envFrom of asArr(container?.envFrom).map(asObj)) {
      add(refs.configMaps, nameOf(envFrom?.configMapRef));
      add(refs.secrets, nameOf(envFrom?.secretRef));
    }
  }
  for (const volume of asArr(spec.volumes).map(asObj)) {
    add(refs.configMaps, nameOf(volume?.configMap));
    const secretName = asObj(volume?.secret)?.secretName;
    if (typeof secretName === 'string' && secretName !== '') refs.secrets.add(secretName);
    for (const source of asArr(asObj(volume?.projected)?.sources).map(asObj)) {
      add(refs.configMaps, nameOf(source?.configMap));
      add(refs.secrets, nameOf(source?.secret));
    }
    // Volume plugins that name a secret (core/v1 VolumeSource): azureFile.secretName,
    // csi.nodePublishSecretRef, and secretRef of cephfs, cinder, flexVolume, iscsi, rbd, scaleIO, storageos.
    for (const [plugin, source] of Object.entries(volume ?? {})) {
      const src = asObj(source);
      if (src === undefined || plugin === 'secret' || plugin === 'projected' || plugin === 'configMap') continue;
      if (plugin === 'azureFile' && typeof src.secretName === 'string' && src.secretName !== '') refs.secrets.add(src.secretName);
      add(refs.secrets, nameOf(src.secretRef));
      add(refs.secrets, nameOf(src.nodePublishSecretRef));
    }
  }
  for (const pull of asArr(spec.imagePullSecrets)) add(refs.secrets, nameOf(pull));
  // serviceAccount is the deprecated alias the API keeps in step with serviceAccountName.
  const sa = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : spec.serviceAccount;
  if (typeof sa === 'string' && sa !== '') refs.serviceAccounts.add(sa);
  return refs;
}


/**
 * The set the cloud says the node needs, from the cloud's own API: the pods bound to it, the
 * configmaps/secrets/service accounts those pods reference and that exist, and its own Node.
 * Also returns how many of those pods are still terminating (graceful deletion, R18).
 */
export async function expectedEdgeKeys(api: Api, node: string): Promise<{ keys: string[]; terminating: number }> {
  const res = await api('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
  if (res.status !== 200) throw new Error(`list pods: ${res.status} ${res.body}`);
  const pods = res.json<{ items: Array<Obj & Meta> }>().items;
  const keys: string[] = [];
  const wanted = new Map<string, { kind: string; path: string }>();
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? '';
    keys.push(rowKey('Pod', ns, pod.metadata.name, pod.metadata.uid, pod.metadata.resourceVersion));
    const refs = podReferences(pod);
    for (const n of refs.configMaps) wanted.set(`ConfigMap ${ns}/${n}`, { kind: 'ConfigMap', path: `/api/v1/namespaces/${ns}/configmaps/${n}` });
    for (const n of refs.secrets) wanted.set(`Secret ${ns}/${n}`, { kind: 'Secret', path: `/api/v1/namespaces/${ns}/secrets/${n}` });
    for (const n of refs.serviceAccounts) wanted.set(`ServiceAccount ${ns}/${n}`, { kind: 'ServiceAccount', path: `/api/v1/namespaces/${ns}/serviceaccounts/${n}` });
  }
  wanted.set(`Node /${node}`, { kind: 'Node', path: `/api/v1/nodes/${node}` });
  const accounts: Array<{ namespace: string; name: string }> = [];
  for (const { kind, path } of wanted.values()) {
    const got = await api('GET', path);
    if (got.status === 404) continue;
    if (got.status !== 200) throw new Error(`GET ${path}: ${got.status} ${got.body}`);
    const m = got.json<Meta>().metadata;
    keys.push(rowKey(kind, m.namespace ?? '', m.name, m.uid, m.resourceVersion));
    if (kind === 'ServiceAccount') accounts.push({ namespace: m.namespace ?? '', name: m.name });
  }
  keys.push(...(await serviceAccountKeys(api, pods, accounts)));
  return { keys: keys.sort(), terminating: pods.filter((p) => p.metadata.deletionTimestamp !== undefined).length };
}

/** Human-readable difference of two sorted key lists. */
export function describeDiff(expected: string[], actual: string[]): string {
  const a = new Set(actual);
  const e = new Set(expected);
  const missing = expected.filter((k) => !a.has(k));
  const extra = actual.filter((k) => !e.has(k));
  return `expected ${expected.length}, edge ${actual.length}; missing or stale on edge (${missing.length}): ${missing.slice(0, 15).join(', ')}; extra on edge (${extra.length}): ${extra.slice(0, 15).join(', ')}`;
}

/**
 * Waits until edge.db holds exactly what the cloud says the node needs, with no pod still
 * terminating (so the state is final), and returns that set.
 */
export async function waitEdgeEqualsCloud(setup: SyncSetup, timeoutMs = 15_000): Promise<string[]> {
  let last = '';
  let result: string[] = [];
  await waitFor(
    async () => {
      const expected = await expectedEdgeKeys(setup.api, setup.node);
      const actual = edgeKeys(setup.edge.dbFile);
      last = `${describeDiff(expected.keys, actual)}; terminating pods ${expected.terminating}`;
      result = expected.keys;
      return expected.terminating === 0 && expected.keys.join('\n') === actual.join('\n');
    },
    timeoutMs,
    () => `edge.db does not equal the cloud's view: ${last}\n${logs(setup)}`,
  );
  return result;
}
