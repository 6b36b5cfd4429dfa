/**
 * Service accounts at the edge end to end (issue 16, docs/service-accounts.md § At the edge): a
 * real cloudcore and an edgecore with its own containerd. A hostNetwork pod runs Debian's python3
 * with the python3-kubernetes in-cluster configuration against its edge's MetaServer, with the
 * cloud's pod-bound token: it lists the ConfigMaps its service account may read, is refused
 * Secrets, and keeps listing with cloudcore stopped (SIGTERM).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { edgeDataDirOf, startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { DEBIAN_PYTHON } from '../helpers/python.js';

let setup: EdgedSetup;
const outDir = mkdtempSync(join(tmpdir(), 'outpost-sa-out-'));
const RESULT = join(outDir, 'result');
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

function readerPod(node: string): Record<string, unknown> {
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
    metadata: { name: 'reader', namespace: 'default' },
    spec: {
      nodeName: node,
      hostNetwork: true,
      serviceAccountName: 'reader',
      // The volume is spelled out here as admission would add it (kube-api-access-*).
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 2,
      containers: [{ name: 'client', image: 'outpost.local/busybox:1', command: [DEBIAN_PYTHON, '-c', SCRIPT], volumeMounts: mounts }],
      volumes: [
        hostDir('usr', '/usr'),
        hostDir('lib', '/lib'),
        ...(existsSync('/lib64') ? [hostDir('lib64', '/lib64')] : []),
        hostDir('out', outDir),
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

function result(): string {
  return existsSync(RESULT) ? readFileSync(RESULT, 'utf8').trim() : '';
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
  await create('/api/v1/namespaces/default/pods', readerPod(setup.node));
}, 180_000);

afterAll(async () => {
  await setup?.stop();
}, 180_000);

describe('service accounts at the edge', () => {
  it('an in-cluster client lists its namespace\'s ConfigMaps from MetaServer and is refused Secrets and other namespaces', async () => {
    await waitForPod(setup, 'reader', (pod) => pod.status?.containerStatuses?.[0]?.state?.running !== undefined, 120_000);
    await waitFor(() => /configmaps=ok:\S*app-settings/.test(result()) && result().includes('secrets=status:403'), 60_000,
      () => `in-cluster client says ${JSON.stringify(result())}\n--- edge output ---\n${setup.edge.output().slice(-3000)}`);
    const line = result();
    expect(line).toMatch(/configmaps=ok:\S*kube-root-ca\.crt/);
    expect(line).toContain('secrets=status:403');
    expect(line).toContain('other=status:403');
  }, 180_000);

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

  it('keeps reading with cloudcore stopped', async () => {
    const before = roundOf(result());
    await setup.cloud.stop('SIGTERM');
    await waitFor(() => setup.edge.endpoints()?.connection === 'disconnected', 30_000, () => 'the edge did not notice the cloud went away');
    const stoppedAt = roundOf(result());
    await waitFor(() => roundOf(result()) > Math.max(before, stoppedAt) + 1, 30_000, () => `no new round after the cloud stopped: ${JSON.stringify(result())}`);
    const line = result();
    expect(line).toMatch(/configmaps=ok:\S*app-settings/);
    expect(line).toContain('secrets=status:403');
  }, 90_000);
});
