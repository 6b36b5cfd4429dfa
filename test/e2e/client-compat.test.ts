/**
 * What clients other than `kubectl get` rely on, against one real cloudcore and a real kubectl
 * 1.32: `kubectl explain` descriptions, well-formed 404s for subresources not served yet, the
 * ephemeralcontainers subresource `kubectl debug` writes, the JSON patch `test` answer, health
 * checks, and request metrics (docs/kubectl.md § OpenAPI, § Errors, § Debug, § Health, § Metrics).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { waitFor } from '../helpers/edge-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { configMapObject, manifest, namespaceObject, podObject } from '../helpers/kubectl-e2e.js';

const NS = 'compat';
let cloud: CloudProcess;
let kubectl: Kubectl;
let api: ReturnType<typeof rawClient>;

const crontabCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab' },
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          description: 'CronTab runs an image on a schedule.',
          properties: {
            spec: {
              type: 'object',
              description: 'What to run and when.',
              properties: { cronSpec: { type: 'string', description: 'The schedule, in cron format.' }, image: { type: 'string' } },
            },
          },
        },
      },
    }],
  },
};

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS), podObject(NS, 'present'), configMapObject(NS, 'tested', { v: '1' }), crontabCrd) });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

describe('kubectl explain', () => {
  it('prints Kubernetes\' field descriptions of built-in kinds', async () => {
    const out = await kubectl.ok(['explain', 'pod.spec.containers.image']);
    expect(out).toContain('FIELD: image <string>');
    expect(out).toMatch(/DESCRIPTION:\n\s+Container image name\. More info:\n?\s*https:\/\/kubernetes\.io\/docs\/concepts\/containers\/images/);
    expect(await kubectl.ok(['explain', 'pods'])).toMatch(/Pod is a collection of containers that can run on a host/);
  });

  it('explains recursively, and a custom resource by its schema\'s descriptions', async () => {
    const recursive = await kubectl.ok(['explain', 'deployment.spec', '--recursive']);
    expect(recursive).toMatch(/^\s+template\s+<PodTemplateSpec> -required-$/m);
    expect(recursive).toMatch(/^\s+containers\s+<\[\]Container> -required-$/m);
    await waitFor(async () => (await kubectl(['explain', 'crontab.spec'])).code === 0, 30_000, () => 'crontabs never explained');
    const crd = await kubectl.ok(['explain', 'crontab.spec']);
    expect(crd).toContain('What to run and when.');
    expect(crd).toMatch(/cronSpec\s+<string>\n\s+The schedule, in cron format\./);
  });
});

describe('Status bodies of pods/ephemeralcontainers and of subresources not served yet', () => {
  it('a missing pod\'s ephemeralcontainers is that pod\'s 404, with details', async () => {
    const res = await api('GET', `/api/v1/namespaces/${NS}/pods/ghost/ephemeralcontainers`);
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ reason: 'NotFound', message: 'pods "ghost" not found', details: { name: 'ghost', kind: 'pods' } });
  });

  it('an existing pod\'s unserved subresource is the generic 404 with empty details', async () => {
    const patch = await api('PATCH', `/api/v1/namespaces/${NS}/pods/present/resize`, { spec: {} }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(patch.status).toBe(404);
    expect(patch.json()).toMatchObject({ reason: 'NotFound', details: {} });
  });

  it('an existing pod\'s ephemeralcontainers is served: kubectl debug without -i adds one and returns', async () => {
    const patch = await api('PATCH', `/api/v1/namespaces/${NS}/pods/present/ephemeralcontainers`, { spec: { ephemeralContainers: [] } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(patch.status).toBe(200);
    expect(patch.json()).toMatchObject({ kind: 'Pod', metadata: { name: 'present' } });
    const debug = await kubectl(['debug', 'present', '-n', NS, '--image=busybox', '--', 'true']);
    expect(debug.stderr).not.toMatch(/panic|nil pointer/);
    expect(debug.code).toBe(0);
    const pod = (await api('GET', `/api/v1/namespaces/${NS}/pods/present/ephemeralcontainers`)).json<{ spec: { ephemeralContainers?: Array<{ name: string; image: string }> } }>();
    expect(pod.spec.ephemeralContainers).toEqual([expect.objectContaining({ name: expect.stringMatching(/^debugger-/), image: 'busybox' })]);
  });
});

describe('JSON patch', () => {
  it('a failed test operation is 422 Invalid, as kube-apiserver answers it', async () => {
    const ops = [{ op: 'test', path: '/data/v', value: '2' }, { op: 'replace', path: '/data/v', value: '3' }];
    const res = await api('PATCH', `/api/v1/namespaces/${NS}/configmaps/tested`, ops, { 'Content-Type': 'application/json-patch+json' });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({ reason: 'Invalid', code: 422, message: 'testing value /data/v failed: test failed', details: {} });
    const result = await kubectl(['patch', 'configmap', 'tested', '-n', NS, '--type=json', '-p', JSON.stringify(ops)]);
    // kubectl's words for a 422 whose details name no object.
    expect(result.stderr).toBe('The request is invalid: testing value /data/v failed: test failed\n');
  });
});

describe('health and metrics', () => {
  it('/readyz?verbose and /livez?verbose list their checks; /livez/ping runs one', async () => {
    const readyz = await api('GET', '/readyz?verbose');
    expect(readyz.status).toBe(200);
    expect(readyz.body).toBe('[+]ping ok\n[+]log ok\n[+]shutdown ok\nreadyz check passed\n');
    expect((await api('GET', '/livez?verbose')).body).toBe('[+]ping ok\n[+]log ok\nlivez check passed\n');
    expect((await api('GET', '/livez/ping')).body).toBe('ok');
    expect((await api('GET', '/livez/nope')).status).toBe(404);
  });

  it('labels requests with group and subresource, and counts open watches', async () => {
    await api('GET', `/apis/apps/v1/namespaces/${NS}/deployments`);
    await api('GET', `/api/v1/namespaces/${NS}/pods/present/status`);
    // `watch=True`, as the Python client spells it, is a watch.
    const watching = api('GET', `/api/v1/namespaces/${NS}/configmaps?watch=True&fieldSelector=metadata.name%3Dtested&timeoutSeconds=5`);
    let metrics = '';
    await waitFor(async () => {
      metrics = (await api('GET', '/metrics')).body;
      return /apiserver_longrunning_requests\{verb="watch",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver"\} 1/.test(metrics);
    }, 10_000, () => metrics.split('\n').filter((l) => l.startsWith('apiserver_longrunning')).join('\n'));
    expect(metrics).toMatch(/apiserver_request_total\{verb="list",group="apps",version="v1",resource="deployments",subresource="",scope="namespace",component="apiserver",code="200"\} 1/);
    expect(metrics).toMatch(/apiserver_request_total\{verb="get",group="",version="v1",resource="pods",subresource="status",scope="resource",component="apiserver",code="200"\} 1/);
    const watched = await watching;
    expect(watched.body).toMatch(/^\{"type":"ADDED","object":\{.*"name":"tested"/);
  });
});
