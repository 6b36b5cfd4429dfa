import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteOptionsBody, envelope } from '../../cloudcore/apiserver/protobuf/test-helpers.js';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { manifest, nodeObject, podObject } from '../helpers/kubectl-e2e.js';
import { tempDir } from '../helpers/paths.js';

/**
 * kubectl's generator commands, which kubectl 1.32 and later send as protobuf
 * (application/vnd.kubernetes.protobuf) and never retry as JSON, and `kubectl drain`, whose pod
 * deletions carry protobuf DeleteOptions. Each object is read back with `get -o json`.
 */
const NS = 'gen';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
let cloud: CloudProcess;
let kubectl: Kubectl;
let kubectl133: Kubectl;
let api: ReturnType<typeof rawClient>;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig, '1.32');
  kubectl133 = createKubectl(cloud.kubeconfig, '1.33');
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  expect(await kubectl.ok(['create', 'namespace', NS])).toBe('namespace/gen created\n');
});

afterAll(async () => {
  await cloud?.stop();
});

/** An object read back from kubectl, navigated freely by the assertions. */
type Json = Record<string, any>;

async function getJson(k: Kubectl, args: string[]): Promise<Json> {
  return JSON.parse(await k.ok(['get', ...args, '-o', 'json'])) as Json;
}

describe('kubectl 1.32 generator commands (protobuf bodies)', () => {
  it('create namespace', async () => {
    const ns = await getJson(kubectl, ['namespace', NS]);
    expect(ns.metadata.name).toBe(NS);
    expect(ns.status.phase).toBe('Active');
  });

  it('create configmap --from-literal and --from-file', async () => {
    expect(await kubectl.ok(['create', 'configmap', 'settings', '-n', NS, '--from-literal=color=blue', '--from-literal=size=xl'])).toBe('configmap/settings created\n');
    expect((await getJson(kubectl, ['configmap', 'settings', '-n', NS])).data).toEqual({ color: 'blue', size: 'xl' });

    const file = join(tempDir('generators'), 'greeting.txt');
    writeFileSync(file, 'hello from a file\n');
    expect(await kubectl.ok(['create', 'configmap', 'files', '-n', NS, `--from-file=${file}`])).toBe('configmap/files created\n');
    expect((await getJson(kubectl, ['configmap', 'files', '-n', NS])).data).toEqual({ 'greeting.txt': 'hello from a file\n' });
  });

  it('create secret generic --from-literal: data arrives as bytes and reads back as base64', async () => {
    expect(await kubectl.ok(['create', 'secret', 'generic', 'login', '-n', NS, '--from-literal=user=admin', '--from-literal=password=s3cr3t'])).toBe(
      'secret/login created\n',
    );
    const secret = await getJson(kubectl, ['secret', 'login', '-n', NS]);
    expect(secret.type).toBe('Opaque');
    const decoded = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(decoded).toEqual({ user: 'admin', password: 's3cr3t' });
  });

  it('create deployment --image --replicas --port', async () => {
    expect(await kubectl.ok(['create', 'deployment', 'web', '-n', NS, '--image=nginx:1.27', '--replicas=3', '--port=80'])).toBe('deployment.apps/web created\n');
    const deploy = await getJson(kubectl, ['deployment', 'web', '-n', NS]);
    expect(deploy.metadata.labels).toEqual({ app: 'web' });
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'web' });
    const [container] = deploy.spec.template.spec.containers as Json[];
    expect(container).toMatchObject({ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    // Defaulting ran as for a JSON body.
    expect(deploy.spec.strategy.type).toBe('RollingUpdate');
  });

  it('create deployment --replicas=0 keeps the explicit zero', async () => {
    await kubectl.ok(['create', 'deployment', 'idle', '-n', NS, '--image=nginx:1.27', '--replicas=0']);
    expect((await getJson(kubectl, ['deployment', 'idle', '-n', NS])).spec.replicas).toBe(0);
  });

  it('create service clusterip NAME --tcp=80:8080', async () => {
    expect(await kubectl.ok(['create', 'service', 'clusterip', 'front', '-n', NS, '--tcp=80:8080'])).toBe('service/front created\n');
    const svc = await getJson(kubectl, ['service', 'front', '-n', NS]);
    expect(svc.metadata.labels).toEqual({ app: 'front' });
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual({ app: 'front' });
    expect(svc.spec.ports).toEqual([{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
  });

  it('create service clusterip with a named target port', async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'named', '-n', NS, '--tcp=80:http']);
    expect((await getJson(kubectl, ['service', 'named', '-n', NS])).spec.ports[0].targetPort).toBe('http');
  });

  it('create job -- command', async () => {
    expect(await kubectl.ok(['create', 'job', 'hello', '-n', NS, '--image=busybox:1.36', '--', 'echo', 'hi'])).toBe('job.batch/hello created\n');
    const job = await getJson(kubectl, ['job', 'hello', '-n', NS]);
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0]).toMatchObject({ name: 'hello', image: 'busybox:1.36', command: ['echo', 'hi'] });
  });

  it('run NAME --image (sent as JSON even by 1.32)', async () => {
    expect(await kubectl.ok(['run', 'solo', '-n', NS, '--image=nginx:1.27'])).toBe('pod/solo created\n');
    const pod = await getJson(kubectl, ['pod', 'solo', '-n', NS]);
    expect(pod.metadata.labels).toEqual({ run: 'solo' });
    expect(pod.spec.containers[0]).toMatchObject({ name: 'solo', image: 'nginx:1.27' });
    expect(pod.spec.restartPolicy).toBe('Always');
    expect(pod.spec.dnsPolicy).toBe('ClusterFirst');
  });

  it('create serviceaccount', async () => {
    expect(await kubectl.ok(['create', 'serviceaccount', 'robot', '-n', NS])).toBe('serviceaccount/robot created\n');
    expect((await getJson(kubectl, ['serviceaccount', 'robot', '-n', NS])).metadata.name).toBe('robot');
  });
});

describe('kubectl 1.33 generator commands', () => {
  it('create namespace and create deployment', async () => {
    expect(await kubectl133.ok(['create', 'namespace', 'gen133'])).toBe('namespace/gen133 created\n');
    expect(await kubectl133.ok(['create', 'deployment', 'web133', '-n', 'gen133', '--image=nginx:1.28', '--replicas=2'])).toBe('deployment.apps/web133 created\n');
    const deploy = await getJson(kubectl133, ['deployment', 'web133', '-n', 'gen133']);
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.template.spec.containers[0].image).toBe('nginx:1.28');
  });
});

// --disable-eviction: since pods/eviction is served (docs/eviction.md) drain evicts; this path is the
// deletion drain falls back to, whose DeleteOptions kubectl sends as protobuf.
describe('kubectl drain: pod deletions with protobuf DeleteOptions', () => {
  it('--grace-period=0 deletes the pods at once and the drain completes', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(nodeObject('edge-a'), podObject(NS, 'on-a', { nodeName: 'edge-a' })) });
    const out = await kubectl.ok(['drain', 'edge-a', '--force', '--disable-eviction', '--grace-period=0', '--timeout=30s']);
    expect(out).toContain('pod/on-a deleted');
    expect(out).toContain('node/edge-a drained');
    expect((await kubectl(['get', 'pod', 'on-a', '-n', NS])).stderr).toContain('NotFound');
  });

  it('--grace-period=7 reaches the pod as its deletion grace period', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(nodeObject('edge-b'), podObject(NS, 'on-b', { nodeName: 'edge-b' })) });
    // No agent runs on edge-b to finish the deletion, so drain gives up after its timeout.
    const drain = await kubectl(['drain', 'edge-b', '--force', '--disable-eviction', '--grace-period=7', '--timeout=2s']);
    expect(drain.stdout + drain.stderr).not.toContain('UnsupportedMediaType');
    const pod = await getJson(kubectl, ['pod', 'on-b', '-n', NS]);
    expect(pod.metadata.deletionGracePeriodSeconds).toBe(7);
    expect(pod.metadata.deletionTimestamp).toEqual(expect.any(String));
  });
});

describe('raw protobuf requests', () => {
  it('a DELETE with protobuf DeleteOptions honours its preconditions', async () => {
    await kubectl.ok(['create', 'configmap', 'guarded', '-n', NS, '--from-literal=a=1']);
    const uid = (await getJson(kubectl, ['configmap', 'guarded', '-n', NS])).metadata.uid as string;
    const path = `/api/v1/namespaces/${NS}/configmaps/guarded`;
    const stale = await api('DELETE', path, deleteOptionsBody({ preconditionUid: 'not-the-uid' }), { 'Content-Type': PROTOBUF });
    expect(stale.status).toBe(409);
    const ok = await api('DELETE', path, deleteOptionsBody({ preconditionUid: uid, propagationPolicy: 'Background' }), { 'Content-Type': PROTOBUF });
    expect(ok.status).toBe(200);
    expect((await api('GET', path)).status).toBe(404);
  });

  it('a kind the server does not decode from protobuf gets 415 naming the kind', async () => {
    const body = envelope('apps/v1', 'ReplicaSet', [{ field: 1, message: [{ field: 1, string: 'rs' }] }]);
    const res = await api('POST', `/apis/apps/v1/namespaces/${NS}/replicasets`, body, { 'Content-Type': PROTOBUF, Accept: `${PROTOBUF},application/json` });
    expect(res.status).toBe(415);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', message: expect.stringContaining('ReplicaSet (apps/v1)') });
  });

  it('malformed protobuf gets 400 BadRequest', async () => {
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x7f, 0x01])]);
    const res = await api('POST', `/api/v1/namespaces/${NS}/configmaps`, body, { 'Content-Type': PROTOBUF });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ reason: 'BadRequest', message: expect.stringContaining('protobuf') });
  });
});
