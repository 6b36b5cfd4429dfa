import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { configMapObject, deploymentObject, eventually, manifest, namespaceObject, nodeLeaseObject, nodeObject, podObject } from '../helpers/kubectl-e2e.js';

/**
 * Reading with a real kubectl 1.32: version, discovery, `get` in every output form and with
 * selectors and sorting, and `describe` of nodes, pods and deployments.
 */
let cloud: CloudProcess;
let kubectl: Kubectl;

/** A pod for another scheduler: the default scheduler leaves it alone (docs/scheduler.md § Which pods). */
function unscheduled(pod: Record<string, unknown>): Record<string, unknown> {
  (pod.spec as Record<string, unknown>).schedulerName = 'outpost.test/not-running';
  return pod;
}

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  const objects = manifest(
    namespaceObject('read-a'),
    namespaceObject('read-b'),
    nodeObject('edge-read'),
    nodeLeaseObject('edge-read'),
    // Created out of name order, with a rank that orders them differently again.
    configMapObject('read-a', 'zeta', { rank: '1' }, { suite: 'read', tier: 'back' }),
    configMapObject('read-a', 'alpha', { rank: '3', extra: 'x' }, { suite: 'read', tier: 'front' }),
    configMapObject('read-a', 'mid', { rank: '2' }, { suite: 'read', tier: 'front' }),
    configMapObject('read-b', 'beta', { rank: '4' }, { suite: 'read', tier: 'back' }),
    // Left to a scheduler that does not run, so it stays Pending with no node and no events.
    unscheduled(podObject('read-a', 'web', { labels: { app: 'web', tier: 'front' } })),
    podObject('read-a', 'bound', { nodeName: 'edge-read', image: 'busybox:1.36' }),
    deploymentObject('read-a', 'shop', { replicas: 2, image: 'nginx:1.27' }),
  );
  const applied = await kubectl.ok(['apply', '-f', '-'], { stdin: objects });
  expect(applied).toContain('deployment.apps/shop created');
  // The deployment controller gives shop a ReplicaSet and 2 pods (Pending: no node runs them); read once that settled.
  await eventually(async () => (await kubectl.ok(['get', 'deploy', 'shop', '-n', 'read-a', '-o', 'jsonpath={.status.updatedReplicas}/{.status.replicas}'])) === '2/2', 'shop to have 2 up-to-date pods', 60_000);
});

/** shop's two pods, named by its ReplicaSet (`shop-<template hash>-<random>`). */
const SHOP_POD = /^shop-[bcdfghjklmnpqrstvwxz2456789]+-[a-z0-9]{5}$/;

afterAll(async () => {
  await cloud?.stop();
});

describe('kubectl version and api-resources', () => {
  it('prints the client and the server version', async () => {
    const out = await kubectl.ok(['version']);
    expect(out).toMatch(/^Client Version: v1\.32\.\d+$/m);
    expect(out).toMatch(/^Server Version: v1\.32\.0\+outpost-\S+$/m);
    expect(await kubectl.ok(['version', '-o', 'json'])).toContain('"minor": "32"');
  });

  it('lists the served resources with short names, group versions and kinds', async () => {
    const out = await kubectl.ok(['api-resources']);
    expect(out).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
    expect(out).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    const namespaced = await kubectl.ok(['api-resources', '--namespaced=false', '-o', 'name']);
    expect(namespaced.split('\n')).toContain('nodes');
    expect(namespaced.split('\n')).not.toContain('pods');
  });
});

describe('kubectl get', () => {
  it('prints the default table', async () => {
    const out = await kubectl.ok(['get', 'pods', '-n', 'read-a']);
    expect(out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(out).toMatch(/^web\s+0\/1\s+Pending\s+0\s+[0-9smhd]+$/m);
    const deployments = await kubectl.ok(['get', 'deploy', '-n', 'read-a']);
    expect(deployments).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(deployments).toMatch(/^shop\s+0\/2\s+2\s+0\s+[0-9smhd]+$/m);
  });

  it('-o wide adds the priority columns', async () => {
    const pods = await kubectl.ok(['get', 'pods', '-n', 'read-a', '-o', 'wide']);
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
    expect(pods).toMatch(/^bound\s+0\/1\s+Pending\s+0\s+[0-9smhd]+\s+<none>\s+edge-read\s+<none>\s+<none>$/m);
    const deployments = await kubectl.ok(['get', 'deployments', '-n', 'read-a', '-o', 'wide']);
    expect(deployments).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    expect(deployments).toMatch(/^shop\s+0\/2\s+2\s+0\s+[0-9smhd]+\s+web\s+nginx:1\.27\s+app=shop$/m);
    const nodes = await kubectl.ok(['get', 'nodes', '-o', 'wide']);
    expect(nodes).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/m);
    expect(nodes).toMatch(/^edge-read\s+Ready\s+edge\s+\S+\s+v1\.32\.0-outpost\s+192\.168\.50\.7\s+<none>\s+Debian GNU\/Linux 12\s+6\.1\.0-edge\s+containerd:\/\/1\.7\.20$/m);
  });

  it('-o yaml prints the stored object with server-side fields and defaults', async () => {
    const out = await kubectl.ok(['get', 'pod', 'web', '-n', 'read-a', '-o', 'yaml']);
    expect(out).toMatch(/^apiVersion: v1$/m);
    expect(out).toMatch(/^kind: Pod$/m);
    expect(out).toMatch(/^ {2}name: web$/m);
    expect(out).toMatch(/^ {2}namespace: read-a$/m);
    expect(out).toMatch(/^ {2}uid: [0-9a-f-]{36}$/m);
    expect(out).toMatch(/^ {2}resourceVersion: "\d+"$/m);
    expect(out).toMatch(/^ {2}creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/m);
    expect(out).toMatch(/^ {2}- image: nginx:1\.27$/m);
    expect(out).toMatch(/^ {4}imagePullPolicy: IfNotPresent$/m);
    expect(out).toMatch(/^ {6}protocol: TCP$/m);
    expect(out).toMatch(/^ {2}restartPolicy: Always$/m);
    expect(out).toMatch(/^ {2}phase: Pending$/m);
  });

  it('-o json prints a List of the objects', async () => {
    const list = JSON.parse(await kubectl.ok(['get', 'configmaps', '-n', 'read-a', '-l', 'suite=read', '-o', 'json'])) as {
      kind: string;
      items: { metadata: { name: string }; data: Record<string, string> }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.metadata.name).sort()).toEqual(['alpha', 'mid', 'zeta']);
    expect(list.items.find((i) => i.metadata.name === 'alpha')?.data).toEqual({ rank: '3', extra: 'x' });
    const one = JSON.parse(await kubectl.ok(['get', 'deploy', 'shop', '-n', 'read-a', '-o', 'json'])) as { kind: string; spec: { replicas: number } };
    expect(one).toMatchObject({ kind: 'Deployment', spec: { replicas: 2 } });
  });

  it('-o name prints resource/name', async () => {
    const podNames = (await kubectl.ok(['get', 'pods', '-n', 'read-a', '-o', 'name'])).trim().split('\n');
    expect(podNames).toEqual(['pod/bound', expect.stringMatching(/^pod\/shop-/), expect.stringMatching(/^pod\/shop-/), 'pod/web']);
    for (const name of podNames.slice(1, 3)) expect(name.slice('pod/'.length)).toMatch(SHOP_POD);
    expect((await kubectl.ok(['get', 'deployments', '-n', 'read-a', '-o', 'name'])).trim()).toBe('deployment.apps/shop');
    expect((await kubectl.ok(['get', 'nodes', '-o', 'name'])).trim()).toBe('node/edge-read');
  });

  it('-A lists every namespace with a NAMESPACE column', async () => {
    const out = await kubectl.ok(['get', 'configmaps', '-A', '-l', 'suite=read']);
    expect(out).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE$/m);
    expect(out).toMatch(/^read-a\s+alpha\s+2\s+[0-9smhd]+$/m);
    expect(out).toMatch(/^read-b\s+beta\s+1\s+[0-9smhd]+$/m);
    const namespaces = await kubectl.ok(['get', 'namespaces']);
    expect(namespaces).toMatch(/^NAME\s+STATUS\s+AGE$/m);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'read-a', 'read-b']) {
      expect(namespaces).toMatch(new RegExp(`^${ns}\\s+Active\\s+\\S+$`, 'm'));
    }
  });

  it('-l filters by label selector', async () => {
    const front = await kubectl.ok(['get', 'cm', '-n', 'read-a', '-l', 'tier=front', '-o', 'name']);
    expect(front.trim().split('\n')).toEqual(['configmap/alpha', 'configmap/mid']);
    const notFront = await kubectl.ok(['get', 'cm', '-A', '-l', 'suite=read,tier!=front', '-o', 'name']);
    expect(notFront.trim().split('\n').sort()).toEqual(['configmap/beta', 'configmap/zeta']);
    const setBased = await kubectl.ok(['get', 'cm', '-n', 'read-a', '-l', 'tier in (back)', '-o', 'name']);
    expect(setBased.trim()).toBe('configmap/zeta');
    const none = await kubectl(['get', 'cm', '-n', 'read-a', '-l', 'tier=nowhere']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('No resources found in read-a namespace.');
  });

  it('--show-labels adds a LABELS column', async () => {
    const out = await kubectl.ok(['get', 'pods', 'web', '-n', 'read-a', '--show-labels']);
    expect(out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS$/m);
    expect(out).toMatch(/^web\s+0\/1\s+Pending\s+0\s+[0-9smhd]+\s+app=web,tier=front$/m);
    expect(await kubectl.ok(['get', 'cm', 'zeta', '-n', 'read-a', '-L', 'tier'])).toMatch(/^zeta\s+1\s+[0-9smhd]+\s+back$/m);
  });

  it('--sort-by orders rows by a field of the object', async () => {
    const names = (out: string) => out.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    const byRank = await kubectl.ok(['get', 'cm', '-n', 'read-a', '-l', 'suite=read', '--sort-by=.data.rank']);
    expect(names(byRank)).toEqual(['zeta', 'mid', 'alpha']);
    // Across namespaces the server's order is by namespace first; sorting by name interleaves them.
    const byName = await kubectl.ok(['get', 'cm', '-A', '-l', 'suite=read', '--sort-by=.metadata.name', '-o', 'custom-columns=NAME:.metadata.name,NS:.metadata.namespace']);
    expect(names(byName)).toEqual(['alpha', 'beta', 'mid', 'zeta']);
    const podsByName = await kubectl.ok(['get', 'pods', '-n', 'read-a', '--sort-by=.metadata.name']);
    expect(names(podsByName)).toEqual(['bound', expect.stringMatching(SHOP_POD), expect.stringMatching(SHOP_POD), 'web']);
  });

  it('-o jsonpath and custom-columns read fields', async () => {
    expect(await kubectl.ok(['get', 'pod', 'bound', '-n', 'read-a', '-o', 'jsonpath={.spec.nodeName}'])).toBe('edge-read');
    const columns = await kubectl.ok(['get', 'deploy', '-n', 'read-a', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas']);
    expect(columns).toMatch(/^shop\s+2$/m);
  });
});

describe('kubectl describe', () => {
  it('describes a node with its status and the pods bound to it', async () => {
    // The scheduler binds shop's two pods to the only node, as on any cluster.
    await eventually(async () => (await kubectl.ok(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=edge-read', '-o', 'name'])).trim().split('\n').length === 3, 'shop pods to be bound to edge-read', 60_000);
    const out = await kubectl.ok(['describe', 'node', 'edge-read']);
    expect(out).toMatch(/^Name:\s+edge-read$/m);
    expect(out).toMatch(/^Roles:\s+edge$/m);
    expect(out).toMatch(/^Labels:\s+kubernetes\.io\/hostname=edge-read$/m);
    expect(out).toMatch(/^\s+node-role\.kubernetes\.io\/edge=$/m);
    expect(out).toMatch(/^Lease:\n\s+HolderIdentity:\s+edge-read\n\s+AcquireTime:\s+<unset>\n\s+RenewTime:\s+\w{3}, \d\d \w{3} \d{4} /m);
    expect(out).toMatch(/^PodCIDR:\s+10\.42\.7\.0\/24$/m);
    expect(out).toMatch(/^\s+Ready\s+True\s+.*EdgeReady\s+edge agent is posting ready status$/m);
    expect(out).toMatch(/^\s+InternalIP:\s+192\.168\.50\.7$/m);
    expect(out).toMatch(/^Capacity:\n\s+cpu:\s+4\n\s+memory:\s+8Gi\n\s+pods:\s+110$/m);
    expect(out).toMatch(/^\s+Kernel Version:\s+6\.1\.0-edge$/m);
    expect(out).toMatch(/^\s+Container Runtime Version:\s+containerd:\/\/1\.7\.20$/m);
    expect(out).toMatch(/^Non-terminated Pods:\s+\(3 in total\)$/m);
    expect(out).toMatch(/^\s+read-a\s+bound\s+/m);
    expect(out).toMatch(/^\s+read-a\s+shop-\w+-\w{5}\s+/m);
    expect(out).toMatch(/^Events:\s+<none>$/m);
  });

  it('describes a pod', async () => {
    const out = await kubectl.ok(['describe', 'pod', 'web', '-n', 'read-a']);
    expect(out).toMatch(/^Name:\s+web$/m);
    expect(out).toMatch(/^Namespace:\s+read-a$/m);
    expect(out).toMatch(/^Node:\s+<none>$/m);
    expect(out).toMatch(/^Labels:\s+app=web$/m);
    expect(out).toMatch(/^\s+tier=front$/m);
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/^ {2}main:$/m);
    expect(out).toMatch(/^\s+Image:\s+nginx:1\.27$/m);
    expect(out).toMatch(/^\s+Port:\s+80\/TCP$/m);
    expect(out).toMatch(/^QoS Class:\s+BestEffort$/m);
    expect(out).toMatch(/^Events:\s+<none>$/m);
  });

  it('describes a deployment', async () => {
    const out = await kubectl.ok(['describe', 'deployment', 'shop', '-n', 'read-a']);
    expect(out).toMatch(/^Name:\s+shop$/m);
    expect(out).toMatch(/^Namespace:\s+read-a$/m);
    expect(out).toMatch(/^Selector:\s+app=shop$/m);
    expect(out).toMatch(/^Replicas:\s+2 desired \| 2 updated \| 2 total \| 0 available \| 2 unavailable$/m);
    expect(out).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(out).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    expect(out).toMatch(/^\s+Image:\s+nginx:1\.27$/m);
    expect(out).toMatch(/^NewReplicaSet:\s+shop-\w+ \(2\/2 replicas created\)$/m);
    expect(out).toMatch(/^\s+Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set shop-\w+ from 0 to 2$/m);
  });
});
