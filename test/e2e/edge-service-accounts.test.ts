/**
 * Service accounts at the edge end to end (issue 16, docs/service-accounts.md § At the edge): a
 * real cloudcore and an edgecore with its own containerd. Two pods, one with hostNetwork (MetaServer
 * on loopback) and one on the pod network (MetaServer on the bridge gateway), run Debian's python3
 * with the python3-kubernetes in-cluster configuration against their edge's MetaServer, with the
 * cloud's pod-bound token: each lists the ConfigMaps its service account may read, is refused
 * Secrets, and keeps listing with cloudcore stopped (SIGTERM).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { waitFor } from '../helpers/edge-process.js';
import { edgeDataDirOf, startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { DEBIAN_PYTHON } from '../helpers/python.js';

let setup: EdgedSetup;
const outDir = mkdtempSync(join(tmpdir(), 'outpost-sa-out-'));
/** The two readers: the same client, on the host's network and on the pod network. */
const READERS = [{ name: 'reader', hostNetwork: true }, { name: 'net-reader', hostNetwork: false }] as const;
type ReaderName = (typeof READERS)[number]['name'];
const resultFile = (pod: ReaderName): string => join(outDir, pod, 'result');
const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** One line per round: what the in-cluster client could read. Written atomically to /out/result. */
const SCRIPT = `
import os, time
from kubernetes import client, config
from kubernetes.client.rest import ApiException

def attempt(call):
    try:
        return 'ok:' + ','.join(sorted(o.metadata.name for o in call().items))
    except ApiException as e:
        return 'status:%d' % e.status
    except Exception as e:
        return 'error:' + type(e).__name__

ns = open('${TOKEN_DIR}/namespace').read().strip()
n = 0
while True:
    n += 1
    config.load_incluster_config()
    v1 = client.CoreV1Api()
    line = 'round=%d configmaps=%s secrets=%s other=%s' % (n, attempt(lambda: v1.list_namespaced_config_map(ns)),
        attempt(lambda: v1.list_namespaced_secret(ns)), attempt(lambda: v1.list_namespaced_config_map('kube-system')))
    print(line, flush=True)
    with open('/out/result.tmp', 'w') as f:
        f.write(line + '\\n')
    os.replace('/out/result.tmp', '/out/result')
    time.sleep(1)
`;

function hostDir(name: string, path: string): Record<string, unknown> {
  return { name, hostPath: { path } };
}

function readerPod(node: string, name: ReaderName, hostNetwork: boolean): Record<string, unknown> {
  mkdirSync(join(outDir, name), { recursive: true });
  const mounts = [
    { name: 'usr', mountPath: '/usr', readOnly: true },
    { name: 'lib', mountPath: '/lib', readOnly: true },
    ...(existsSync('/lib64') ? [{ name: 'lib64', mountPath: '/lib64', readOnly: true }] : []),
    { name: 'out', mountPath: '/out' },
    // An edge holds the ConfigMaps its pods reference (docs/protocol.md R9a): this one reaches it so.
    { name: 'settings', mountPath: '/etc/settings', readOnly: true },
    { name: 'kube-api-access', mountPath: TOKEN_DIR, readOnly: true },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: node,
      hostNetwork,
      serviceAccountName: 'reader',
      // The volume is spelled out here as admission would add it (kube-api-access-*).
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 2,
      containers: [{ name: 'client', image: 'outpost.local/busybox:1', command: [DEBIAN_PYTHON, '-c', SCRIPT], volumeMounts: mounts }],
      volumes: [
        hostDir('usr', '/usr'),
        hostDir('lib', '/lib'),
        ...(existsSync('/lib64') ? [hostDir('lib64', '/lib64')] : []),
        hostDir('out', join(outDir, name)),
        { name: 'settings', configMap: { name: 'app-settings' } },
        {
          name: 'kube-api-access',
          projected: {
            defaultMode: 0o644,
            sources: [
              { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
      ],
    },
  };
}

async function create(path: string, object: Record<string, unknown>, acceptConflict = false): Promise<void> {
  const res = await setup.api('POST', path, object);
  if (res.status === 201 || (acceptConflict && res.status === 409)) return;
  throw new Error(`POST ${path}: ${res.status} ${res.body}`);
}

function result(pod: ReaderName): string {
  const file = resultFile(pod);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

const roundOf = (line: string): number => Number(/round=(\d+)/.exec(line)?.[1] ?? 0);

beforeAll(async () => {
  setup = await startEdgedSetup({ node: 'edge-sa' });
  const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
  await create('/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: 'default' } });
  await create(`${rbac}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'configmap-reader', namespace: 'default' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
  });
  await create(`${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader-reads-configmaps', namespace: 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'default' }],
  });
  await create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-settings', namespace: 'default' }, data: { mode: 'edge' } });
  // Published in every namespace by the cloud (docs/service-accounts.md); made here if it is not yet.
  const caPem = readFileSync(join(setup.cloud.dataDir, 'cloud', 'pki', 'ca.crt'), 'utf8');
  await create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': caPem } }, true);
  for (const reader of READERS) await create('/api/v1/namespaces/default/pods', readerPod(setup.node, reader.name, reader.hostNetwork));
}, 180_000);

afterAll(async () => {
  await setup?.stop();
}, 180_000);

describe('service accounts at the edge', () => {
  it.each(READERS)('an in-cluster client (hostNetwork: $hostNetwork) lists its namespace\'s ConfigMaps from MetaServer and is refused Secrets and other namespaces', async ({ name }) => {
    await waitForPod(setup, name, (pod) => pod.status?.containerStatuses?.[0]?.state?.running !== undefined, 120_000);
    await waitFor(() => /configmaps=ok:\S*app-settings/.test(result(name)) && result(name).includes('secrets=status:403'), 60_000,
      () => `in-cluster client says ${JSON.stringify(result(name))}\n--- edge output ---\n${setup.edge.output().slice(-3000)}`);
    const line = result(name);
    expect(line).toMatch(/configmaps=ok:\S*kube-root-ca\.crt/);
    expect(line).toContain('secrets=status:403');
    expect(line).toContain('other=status:403');
  }, 180_000);

  it('the pod-network pod is told the bridge gateway, where MetaServer listens for the pod network only', async () => {
    const pod = await waitForPod(setup, 'net-reader', () => true);
    const gateway = pod.status?.podIP?.replace(/\.\d+$/, '.1');
    // Anonymous callers on the pod network get discovery only (docs/edge-metaserver.md § Access).
    const script = `import urllib.request, ssl, os, sys
ctx = ssl.create_default_context(cafile='${TOKEN_DIR}/ca.crt')
host = os.environ.get('KUBERNETES_SERVICE_HOST'); port = os.environ.get('KUBERNETES_SERVICE_PORT')
def status(path):
    try:
        return urllib.request.urlopen('https://%s:%s%s' % (host, port, path), context=ctx).status
    except urllib.error.HTTPError as e:
        return e.code
print(host, status('/version'), status('/api/v1/namespaces/default/configmaps'))`;
    const out = await setup.kubectl.ok(['exec', 'net-reader', '--', DEBIAN_PYTHON, '-c', script]);
    expect(out.trim()).toBe(`${gateway} 200 401`);
  }, 60_000);

  it('the projected token is the cloud\'s JWT, bound to the pod, extended with warnafter', async () => {
    const pod = await waitForPod(setup, 'reader', () => true);
    const file = join(edgeDataDirOf(setup), 'pod-volumes', pod.metadata.uid, 'volumes', 'kubernetes.io~projected', 'kube-api-access', 'token');
    const [, payload = ''] = readFileSync(file, 'utf8').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; exp: number; iat: number; 'kubernetes.io': { pod?: { uid: string }; warnafter?: number } };
    expect(claims.sub).toBe('system:serviceaccount:default:reader');
    expect(claims['kubernetes.io'].pod?.uid).toBe(pod.metadata.uid);
    expect(claims['kubernetes.io'].warnafter).toBe(claims.iat + 3607);
    expect(claims.exp - claims.iat).toBe(365 * 24 * 3600);
  }, 60_000);

  it('keeps reading with cloudcore stopped, on both networks', async () => {
    const before = READERS.map(({ name }) => roundOf(result(name)));
    await setup.cloud.stop('SIGTERM');
    await waitFor(() => setup.edge.endpoints()?.connection === 'disconnected', 30_000, () => 'the edge did not notice the cloud went away');
    const stoppedAt = READERS.map(({ name }) => roundOf(result(name)));
    for (const [i, { name }] of READERS.entries()) {
      const after = Math.max(before[i] ?? 0, stoppedAt[i] ?? 0) + 1;
      await waitFor(() => roundOf(result(name)) > after, 30_000, () => `${name}: no new round after the cloud stopped: ${JSON.stringify(result(name))}`);
      const line = result(name);
      expect(line).toMatch(/configmaps=ok:\S*app-settings/);
      expect(line).toContain('secrets=status:403');
    }
  }, 90_000);

  it('an edgecore restarted with the cloud still away serves both networks again (the bridge is there: it binds at once)', async () => {
    // Pods keep the port they were told, so the restarted edge must listen on the same one.
    const port = Number(new URL(setup.edge.endpoints()?.metaserver ?? 'http://x').port);
    const config = parse(readFileSync(setup.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(setup.configFile, stringify({ ...config, metaserver: { port } }));
    await setup.edge.stop('SIGTERM');
    await setup.startEdge();
    const restartedAt = READERS.map(({ name }) => roundOf(result(name)));
    for (const [i, { name }] of READERS.entries()) {
      await waitFor(() => roundOf(result(name)) > (restartedAt[i] ?? 0) + 1 && /configmaps=ok:\S*app-settings/.test(result(name)), 30_000,
        () => `${name} after the edge restart: ${JSON.stringify(result(name))}\n--- edge output ---\n${setup.edge.output().slice(-3000)}`);
      expect(result(name)).toContain('secrets=status:403');
    }
  }, 90_000);
});
