/**
 * Pod volumes end to end (issue 7, volumes): a real cloudcore and edgecore with its own
 * containerd. What the container sees is read inside it with CRI ExecSync; MetaServer is called
 * with the pod's projected service-account token, from inside the pod (host network) and from here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerdLayout } from '../../edgecore/edged/containerd/index.js';
import { createCriClient, type CriClient } from '../../edgecore/edged/cri/index.js';
import { waitFor } from '../helpers/edge-process.js';
import { edgeDataDirOf, getPod, startEdgedSetup, waitForPod, type EdgedSetup, type PodView } from '../helpers/edged-e2e.js';

let setup: EdgedSetup;
let cri: CriClient;

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function configMap(name: string, data: Record<string, string>, namespace = 'default'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

function volumePod(name: string, extra: { volumes?: unknown[]; mounts?: unknown[] } = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: setup.node,
      hostNetwork: true,
      terminationGracePeriodSeconds: 2,
      containers: [{
        name: 'app',
        image: 'outpost.local/busybox:1',
        command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
        volumeMounts: extra.mounts ?? [
          { name: 'config', mountPath: '/etc/config' },
          { name: 'creds', mountPath: '/etc/creds' },
          { name: 'scratch', mountPath: '/scratch' },
          { name: 'api', mountPath: TOKEN_DIR },
        ],
      }],
      volumes: extra.volumes ?? [
        { name: 'config', configMap: { name: 'app-config' } },
        { name: 'creds', secret: { secretName: 'app-secret', items: [{ key: 'password', path: 'password', mode: 0o400 }] } },
        { name: 'scratch', emptyDir: {} },
        { name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
      ],
    },
  };
}

async function create(path: string, object: Record<string, unknown>): Promise<void> {
  const res = await setup.api('POST', path, object);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`);
}

const running = (pod: PodView): boolean => pod.status?.containerStatuses?.[0]?.state?.running !== undefined;
const containerIdOf = (pod: PodView): string => (pod.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^containerd:\/\//, '');

async function exec(pod: PodView, script: string): Promise<{ stdout: string; exitCode: number }> {
  const result = await cri.execSync(containerIdOf(pod), ['sh', '-c', script], 20);
  if (!result.ok) throw new Error(`exec in ${pod.metadata.name}: ${result.message}`);
  return { stdout: result.value.stdout, exitCode: result.value.exitCode };
}

/** GET on MetaServer's HTTPS port with a bearer token (client-go never sends one over plain HTTP). */
function metaserverGet(path: string, token: string | undefined): Promise<{ status: number; body: string }> {
  const endpoints = setup.edge.endpoints();
  const url = new URL(path, endpoints?.metaserverTls);
  const ca = readFileSync(endpoints?.metaserverCa ?? '');
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function hostVolume(uid: string, plugin: string, name: string): string {
  return join(edgeDataDirOf(setup), 'pod-volumes', uid, 'volumes', `kubernetes.io~${plugin}`, name);
}

function hostFsType(path: string): string {
  const found = spawnSync('findmnt', ['-n', '-o', 'FSTYPE', '--mountpoint', path], { encoding: 'utf8' });
  return found.stdout.trim();
}

beforeAll(async () => {
  setup = await startEdgedSetup({ node: 'edged-volumes' });
  cri = createCriClient({ endpoint: `unix://${containerdLayout(edgeDataDirOf(setup)).socket}` });
  await create('/api/v1/namespaces/default/configmaps', configMap('app-config', { greeting: 'hello v1' }));
  await create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-secret', namespace: 'default' }, data: { password: b64('s3cret'), user: b64('admin') } });
  // The cloud's pod-bound token is authorized by RBAC at MetaServer (docs/edge-metaserver.md § Access):
  // the pod's service account may read the secrets of its namespace, as the tests below expect.
  const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
  await create(`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'secret-reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] });
  await create(`${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'default-reads-secrets', namespace: 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
  });
  await create('/api/v1/namespaces/default/pods', volumePod('vol'));
}, 180_000);

afterAll(async () => {
  cri?.close();
  await setup?.stop();
}, 180_000);

describe('edged volumes', () => {
  it('a configMap change updates the mounted file inside the running container (..data swap)', async () => {
    const pod = await waitForPod(setup, 'vol', running, 120_000);
    expect((await exec(pod, 'cat /etc/config/greeting')).stdout).toBe('hello v1');
    expect((await exec(pod, 'readlink /etc/config/greeting')).stdout.trim()).toBe('..data/greeting');
    const res = await setup.api('PATCH', '/api/v1/namespaces/default/configmaps/app-config', { data: { greeting: 'hello v2' } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(res.status).toBe(200);
    let seen = '';
    await waitFor(async () => {
      seen = (await exec(pod, 'cat /etc/config/greeting')).stdout;
      return seen === 'hello v2';
    }, 30_000, () => `the mounted file still says ${JSON.stringify(seen)}`);
    // The same container: the file changed under it, nothing was restarted.
    expect(containerIdOf((await getPod(setup, 'vol')) ?? pod)).toBe(containerIdOf(pod));
  });

  it('a secret volume is on tmpfs, in the container and on the host, with the item mode', async () => {
    const pod = await waitForPod(setup, 'vol', running);
    const mounts = (await exec(pod, 'grep " /etc/creds " /proc/mounts')).stdout;
    expect(mounts).toMatch(/^tmpfs \/etc\/creds tmpfs ro[, ]/);
    expect((await exec(pod, 'cat /etc/creds/password')).stdout).toBe('s3cret');
    expect((await exec(pod, 'stat -L -c %a /etc/creds/password')).stdout.trim()).toBe('400');
    expect((await exec(pod, 'ls /etc/creds')).stdout.trim()).toBe('password');
    expect(hostFsType(hostVolume(pod.metadata.uid, 'secret', 'creds'))).toBe('tmpfs');
    expect(hostFsType(hostVolume(pod.metadata.uid, 'projected', 'api'))).toBe('tmpfs');
    expect(hostFsType(hostVolume(pod.metadata.uid, 'configmap', 'config'))).toBe('');
  });

  it('emptyDir content survives a container restart', async () => {
    const pod = await waitForPod(setup, 'vol', running);
    expect((await exec(pod, 'echo kept > /scratch/file && cat /scratch/file')).stdout).toBe('kept\n');
    const before = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
    const socket = containerdLayout(edgeDataDirOf(setup)).socket;
    const killed = spawnSync('ctr', ['-a', socket, '-n', 'k8s.io', 'tasks', 'kill', '-s', 'KILL', containerIdOf(pod)], { encoding: 'utf8' });
    expect(killed.status, killed.stderr).toBe(0);
    const restarted = await waitForPod(setup, 'vol', (p) => running(p) && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > before && containerIdOf(p) !== containerIdOf(pod), 60_000);
    expect((await exec(restarted, 'cat /scratch/file')).stdout).toBe('kept\n');
  });

  it("the projected service-account token reads its namespace's secrets from MetaServer, and nothing else", async () => {
    const pod = await waitForPod(setup, 'vol', running);
    const token = readFileSync(join(hostVolume(pod.metadata.uid, 'projected', 'api'), 'token'), 'utf8');
    expect((await exec(pod, `cat ${TOKEN_DIR}/token`)).stdout).toBe(token);
    expect((await exec(pod, `cat ${TOKEN_DIR}/namespace`)).stdout).toBe('default');
    const own = await metaserverGet('/api/v1/namespaces/default/secrets/app-secret', token);
    expect(own.status, own.body).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ kind: 'Secret', data: { password: b64('s3cret') } });
    expect((await metaserverGet('/api/v1/namespaces/kube-system/secrets', token)).status).toBe(403);
    expect((await metaserverGet('/api/v1/namespaces/default/secrets/app-secret', undefined)).status).toBe(403);
    expect((await metaserverGet('/api/v1/namespaces/default/secrets/app-secret', `${token}x`)).status).toBe(401);
    // From inside the pod (host network: MetaServer is on the host's loopback), with the token file.
    const port = new URL(setup.edge.endpoints()?.metaserverTls ?? '').port;
    const secretPath = `/api/v1/namespaces/default/secrets/app-secret`;
    const inPod = await exec(pod, `wget -qO- --header "Authorization: Bearer $(cat ${TOKEN_DIR}/token)" http://127.0.0.1:${port}${secretPath} 2>&1`);
    expect(inPod.exitCode, inPod.stdout).toBe(0);
    expect(JSON.parse(inPod.stdout)).toMatchObject({ kind: 'Secret', metadata: { name: 'app-secret' }, data: { password: b64('s3cret') } });
    const refused = await exec(pod, `wget -qO- http://127.0.0.1:${port}${secretPath} 2>&1`);
    expect(refused.exitCode).not.toBe(0);
    // Over TLS only when busybox's own TLS agrees with MetaServer's (Debian's busybox 1.35 does not: handshake failure).
    const overTls = await exec(pod, `wget -qO- --no-check-certificate --header "Authorization: Bearer $(cat ${TOKEN_DIR}/token)" https://127.0.0.1:${port}${secretPath} 2>&1`);
    if (overTls.exitCode === 0) expect(overTls.stdout).toContain(b64('s3cret'));
  });

  it('an edgecore restart adopts the volumes: emptyDir content, tmpfs and the token the pod holds', async () => {
    const pod = await waitForPod(setup, 'vol', running);
    expect((await exec(pod, 'echo across-restart > /scratch/restart && echo ok')).stdout).toBe('ok\n');
    const token = readFileSync(join(hostVolume(pod.metadata.uid, 'projected', 'api'), 'token'), 'utf8');
    await setup.edge.stop('SIGTERM');
    await setup.startEdge();
    await waitFor(() => setup.edge.endpoints()?.connection === 'connected', 30_000, () => `edge not connected:\n${setup.edge.output()}`);
    // The new edgecore learns the token back from the pod's volume on its first sync of the pod.
    let last = 0;
    await waitFor(async () => (last = (await metaserverGet('/api/v1/namespaces/default/secrets/app-secret', token)).status) === 200, 30_000, () => `MetaServer answered ${last} to the adopted token`);
    const after = await waitForPod(setup, 'vol', running);
    expect(containerIdOf(after)).toBe(containerIdOf(pod));
    expect((await exec(after, 'cat /scratch/restart')).stdout).toBe('across-restart\n');
    expect((await exec(after, `cat ${TOKEN_DIR}/token`)).stdout).toBe(token);
    expect(hostFsType(hostVolume(pod.metadata.uid, 'secret', 'creds'))).toBe('tmpfs');
    expect(readFileSync('/proc/self/mountinfo', 'utf8').split(hostVolume(pod.metadata.uid, 'secret', 'creds') + ' ').length - 1).toBe(1);
  });

  it('a missing configMap keeps the container waiting with CreateContainerConfigError until it appears', async () => {
    await create('/api/v1/namespaces/default/pods', volumePod('late', { volumes: [{ name: 'config', configMap: { name: 'late-config' } }], mounts: [{ name: 'config', mountPath: '/etc/late', readOnly: true }] }));
    const waiting = await waitForPod(setup, 'late', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError', 60_000);
    expect(waiting.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe('configmap "late-config" not found');
    await create('/api/v1/namespaces/default/configmaps', configMap('late-config', { ready: 'yes' }));
    const started = await waitForPod(setup, 'late', running, 60_000);
    expect((await exec(started, 'cat /etc/late/ready')).stdout).toBe('yes');
  });

  it('deleting the pod unmounts and removes its volumes and revokes its token', async () => {
    const pod = await waitForPod(setup, 'vol', running);
    const token = readFileSync(join(hostVolume(pod.metadata.uid, 'projected', 'api'), 'token'), 'utf8');
    const podFolder = join(edgeDataDirOf(setup), 'pod-volumes', pod.metadata.uid);
    const res = await setup.api('DELETE', '/api/v1/namespaces/default/pods/vol');
    expect([200, 202]).toContain(res.status);
    await waitFor(async () => (await getPod(setup, 'vol')) === undefined && !existsSync(podFolder), 60_000, () => `pod folder ${podFolder} still there:\n${setup.edge.output().slice(-3000)}`);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(podFolder);
    expect((await metaserverGet('/api/v1/namespaces/default/secrets/app-secret', token)).status).toBe(401);
  });
});
