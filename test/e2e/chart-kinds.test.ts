import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { chartObjects } from '../helpers/chart-objects.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { manifest } from '../helpers/kubectl-e2e.js';
import { waitFor } from '../helpers/poll.js';

/**
 * The kinds a typical Helm chart carries (docs/kinds.md), through a real kubectl 1.32: a
 * multi-document manifest with one of each applies client-side and server-side, reads back with
 * Kubernetes' defaults and table columns, and deletes; the generator commands (protobuf bodies)
 * work; invalid objects get Kubernetes' 422 messages; core and events.k8s.io events are one set.
 */
const NS = 'chart';
let cloud: CloudProcess;
let kubectl: Kubectl;
let api: ReturnType<typeof rawClient>;

/** An object read back from kubectl, navigated freely by the assertions. */
type Json = Record<string, any>;

async function getJson(args: string[]): Promise<Json> {
  return JSON.parse(await kubectl.ok(['get', ...args, '-o', 'json'])) as Json;
}

/** The header line of a `kubectl get` table, as words. */
function header(table: string): string[] {
  return (table.split('\n')[0] ?? '').trim().split(/\s{2,}/);
}

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig, '1.32');
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  await kubectl.ok(['create', 'namespace', NS]);
});

afterAll(async () => {
  await cloud?.stop();
});

describe('a chart with one object of each kind', () => {
  const objects = chartObjects(NS, 'c');
  const yaml = manifest(...objects);

  it('applies client-side, then again server-side', async () => {
    const applied = await kubectl.ok(['apply', '-f', '-'], { stdin: yaml });
    expect(applied.trim().split('\n')).toHaveLength(objects.length);
    expect(applied).toContain('ingress.networking.k8s.io/web created');
    expect(applied).toContain('horizontalpodautoscaler.autoscaling/api created');
    expect(applied).toContain('event.events.k8s.io/web.started created');
    const again = await kubectl.ok(['apply', '-f', '-'], { stdin: yaml });
    expect(again).toContain('persistentvolumeclaim/data unchanged');
    const serverSide = await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: yaml });
    expect(serverSide.trim().split('\n').every((line) => line.endsWith('serverside-applied'))).toBe(true);
  });

  it('reads back with Kubernetes defaults', async () => {
    const pvc = await getJson(['pvc', 'data', '-n', NS]);
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    expect(pvc.status.phase).toBe('Pending');
    const pv = await getJson(['pv', 'c-pv']);
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(pv.status.phase).toBe('Pending');
    const sc = await getJson(['sc', 'c-sc']);
    expect([sc.reclaimPolicy, sc.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect((await getJson(['pc', 'c-high'])).preemptionPolicy).toBe('PreemptLowerPriority');
    expect((await getJson(['netpol', 'deny', '-n', NS])).spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const hpa = await getJson(['horizontalpodautoscalers.v2.autoscaling', 'web', '-n', NS]);
    expect(hpa.spec.minReplicas).toBe(1);
    const limits = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaulted', namespace: NS }, spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] } };
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(limits) });
    expect((await getJson(['limits', 'defaulted', '-n', NS])).spec.limits[0]).toMatchObject({ default: { cpu: '1' }, defaultRequest: { cpu: '1' } });
    const hook = await getJson(['mutatingwebhookconfigurations', 'c-mutate']);
    expect(hook.webhooks[0]).toMatchObject({ failurePolicy: 'Fail', matchPolicy: 'Equivalent', timeoutSeconds: 10, reinvocationPolicy: 'Never' });
    expect(await kubectl.ok(['get', 'ingress', 'web', '-n', NS, '-o', 'yaml'])).toContain('pathType: Prefix');
  });

  it('serves an autoscaling/v1 HPA and its autoscaling/v2 form from one object', async () => {
    const v2 = await getJson(['horizontalpodautoscalers.v2.autoscaling', 'api', '-n', NS]);
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const v1 = await getJson(['horizontalpodautoscalers.v1.autoscaling', 'web', '-n', NS]);
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(70);
  });

  it('prints the table columns of a real cluster', async () => {
    const kinds = 'ingress,pvc,hpa,netpol,limits,quota';
    const table = await kubectl.ok(['get', kinds, '-n', NS]);
    expect(table).toMatch(/NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\ningress\.networking\.k8s\.io\/web\s+c-nginx\s+web\.example\.com\s+80, 443\s/);
    expect(table).toMatch(/NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\npersistentvolumeclaim\/data\s+Pending\s+c-sc\s+<unset>/);
    expect(table).toMatch(/NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
    expect(table).toMatch(/horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/70%\s+1\s+5\s+0\s/);
    expect(table).toMatch(/NAME\s+POD-SELECTOR\s+AGE\nnetworkpolicy\.networking\.k8s\.io\/deny\s+app=web\s/);
    expect(table).toMatch(/NAME\s+CREATED AT\n(?:.*\n)*limitrange\/limits\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
    expect(table).toMatch(/NAME\s+AGE\s+REQUEST\s+LIMIT\nresourcequota\/quota\s/);

    expect(header(await kubectl.ok(['get', 'pv']))).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    expect(await kubectl.ok(['get', 'pv', 'c-pv'])).toMatch(/c-pv\s+1Gi\s+RWO\s+Retain\s+Pending\s+c-sc\s+<unset>/);
    expect(await kubectl.ok(['get', 'sc', 'c-sc'])).toMatch(/NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\nc-sc\s+example\.com\/local\s+Delete\s+Immediate\s+false\s/);
    const classes = await kubectl.ok(['get', 'pc']);
    expect(header(classes)).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    expect(classes).toMatch(/system-cluster-critical\s+2000000000\s+false\s+\S+\s+PreemptLowerPriority/);
    expect(classes).toMatch(/system-node-critical\s+2000001000\s+false/);
    expect(await kubectl.ok(['get', 'runtimeclass', 'c-gvisor'])).toMatch(/NAME\s+HANDLER\s+AGE\nc-gvisor\s+runsc\s/);
    expect(await kubectl.ok(['get', 'ingressclass', 'c-nginx'])).toMatch(/NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\nc-nginx\s+k8s\.io\/ingress-nginx\s+<none>\s/);
    expect(await kubectl.ok(['get', 'validatingwebhookconfigurations', 'c-validate'])).toMatch(/NAME\s+WEBHOOKS\s+AGE\nc-validate\s+1\s/);
  });

  it('lists the HPA under `kubectl get all`, and the kinds in discovery with their short names', async () => {
    expect(await kubectl.ok(['get', 'all', '-n', NS])).toContain('horizontalpodautoscaler.autoscaling/web');
    const resources = await kubectl.ok(['api-resources', '--no-headers']);
    for (const [name, short] of [['ingresses', 'ing'], ['persistentvolumeclaims', 'pvc'], ['persistentvolumes', 'pv'], ['storageclasses', 'sc'], ['horizontalpodautoscalers', 'hpa'], ['networkpolicies', 'netpol'], ['priorityclasses', 'pc'], ['limitranges', 'limits'], ['resourcequotas', 'quota']]) {
      expect(resources).toMatch(new RegExp(`^${name}\\s+${short}\\s`, 'm'));
    }
  });

  it('describes and explains them', async () => {
    for (const args of [['ingress', 'web', '-n', NS], ['hpa', 'web', '-n', NS], ['pvc', 'data', '-n', NS], ['pv', 'c-pv'], ['sc', 'c-sc'], ['pc', 'c-high'], ['quota', 'quota', '-n', NS], ['limits', 'limits', '-n', NS], ['netpol', 'deny', '-n', NS]]) {
      expect(await kubectl.ok(['describe', ...args]), args.join(' ')).toMatch(new RegExp(`^Name:\\s+${args[1] ?? ''}$`, 'm'));
    }
    expect(await kubectl.ok(['explain', 'ingress.spec.rules'])).toMatch(/^FIELD: rules <\[\]IngressRule>$/m);
    expect(await kubectl.ok(['explain', 'hpa.spec', '--api-version=autoscaling/v1'])).toContain('targetCPUUtilizationPercentage');
  });

  it('deletes', async () => {
    const deleted = await kubectl.ok(['delete', '-f', '-'], { stdin: yaml });
    expect(deleted.trim().split('\n')).toHaveLength(objects.length);
    expect((await kubectl(['get', 'pvc', 'data', '-n', NS])).stderr).toContain('NotFound');
  });
});

describe('generator commands (protobuf bodies)', () => {
  it('kubectl create ingress', async () => {
    expect(await kubectl.ok(['create', 'ingress', 'gen', '-n', NS, '--class=default', '--rule=foo.example.com/bar*=svc1:8080,tls=foo-tls'])).toBe('ingress.networking.k8s.io/gen created\n');
    const ing = await getJson(['ingress', 'gen', '-n', NS]);
    expect(ing.spec.rules).toEqual([{ host: 'foo.example.com', http: { paths: [{ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }]);
    expect(ing.spec.tls).toEqual([{ hosts: ['foo.example.com'], secretName: 'foo-tls' }]);
  });

  it('kubectl create priorityclass', async () => {
    expect(await kubectl.ok(['create', 'priorityclass', 'gen-high', '--value=1000', '--description=high', '--preemption-policy=Never'])).toBe('priorityclass.scheduling.k8s.io/gen-high created\n');
    expect(await getJson(['pc', 'gen-high'])).toMatchObject({ value: 1000, description: 'high', preemptionPolicy: 'Never' });
  });

  it('kubectl create quota', async () => {
    expect(await kubectl.ok(['create', 'quota', 'gen', '-n', NS, '--hard=cpu=1,memory=1Gi,pods=5', '--scopes=BestEffort'])).toBe('resourcequota/gen created\n');
    expect((await getJson(['quota', 'gen', '-n', NS])).spec).toEqual({ hard: { cpu: '1', memory: '1Gi', pods: '5' }, scopes: ['BestEffort'] });
  });

  it('kubectl autoscale deployment', async () => {
    await kubectl.ok(['create', 'deployment', 'scaled', '-n', NS, '--image=nginx:1.27']);
    expect(await kubectl.ok(['autoscale', 'deployment', 'scaled', '-n', NS, '--min=2', '--max=5', '--cpu-percent=60'])).toBe('horizontalpodautoscaler.autoscaling/scaled autoscaled\n');
    const hpa = await getJson(['horizontalpodautoscalers.v2.autoscaling', 'scaled', '-n', NS]);
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'scaled' } });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
  });
});

describe('priority classes at pod admission', () => {
  it('a pod gets its class\'s priority; an unknown class is refused', async () => {
    const pod = (name: string, priorityClassName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { priorityClassName, containers: [{ name: 'c', image: 'nginx:1.27' }] } });
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(pod('critical', 'system-cluster-critical')) });
    expect((await getJson(['pod', 'critical', '-n', NS])).spec).toMatchObject({ priority: 2000000000, preemptionPolicy: 'PreemptLowerPriority' });
    const refused = await kubectl(['apply', '-f', '-'], { stdin: manifest(pod('lost', 'gold')) });
    expect(refused.stderr).toContain('pods "lost" is forbidden: no PriorityClass with name gold was found');
  });
});

describe('validation', () => {
  const invalid: [string, Record<string, unknown>, string][] = [
    ['networking.k8s.io', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bad', namespace: NS }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
      'The Ingress "bad" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    ['autoscaling', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad', namespace: NS }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 } },
      'The HorizontalPodAutoscaler "bad" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'],
    ['core', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'bad', namespace: NS }, spec: { resources: { requests: { storage: '1Gi' } } } },
      'The PersistentVolumeClaim "bad" is invalid: spec.accessModes: Required value: at least 1 access mode is required'],
    ['storage.k8s.io', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'bad' }, provisioner: 'example.com/x', reclaimPolicy: 'Recycle' },
      'The StorageClass "bad" is invalid: reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'],
    ['scheduling.k8s.io', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-mine' }, value: 10 },
      "The PriorityClass \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"],
    ['node.k8s.io', { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'bad' }, handler: 'Not_A_Label' },
      'The RuntimeClass "bad" is invalid: handler: Invalid value: "Not_A_Label": a lowercase RFC 1123 label'],
    ['events.k8s.io', { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'bad', namespace: NS }, regarding: { kind: 'Pod', name: 'p', namespace: NS }, eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'c', reportingInstance: 'i', action: 'A', reason: 'R', type: 'Odd' },
      'The Event "bad" is invalid: type: Invalid value: "": has invalid value: Odd'],
    ['admissionregistration.k8s.io', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'bad' }, webhooks: [{ name: 'hook.example.com', clientConfig: { url: 'https://hooks.example.com' }, admissionReviewVersions: ['v1'] }] },
      'The ValidatingWebhookConfiguration "bad" is invalid: webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun'],
  ];
  it.each(invalid)('an invalid %s object gets Kubernetes\' message', async (_group, obj, message) => {
    const result = await kubectl(['apply', '-f', '-'], { stdin: manifest(obj) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('refuses changing a PriorityClass value and a StorageClass parameters', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(...chartObjects(NS, 'v').filter((o) => o.kind === 'StorageClass' || o.kind === 'PriorityClass')) });
    const pc = await kubectl(['patch', 'pc', 'v-high', '--type=merge', '-p', '{"value":5}']);
    expect(pc.stderr).toContain('The PriorityClass "v-high" is invalid: value: Forbidden: may not be changed in an update.');
    const sc = await kubectl(['patch', 'sc', 'v-sc', '--type=merge', '-p', '{"parameters":{"tier":"slow"}}']);
    expect(sc.stderr).toContain('The StorageClass "v-sc" is invalid: parameters: Forbidden: updates to parameters are forbidden.');
  });
});

describe('events: one set through core/v1 and events.k8s.io/v1', () => {
  it('an event written as core/v1 reads as events.k8s.io/v1, and the other way round', async () => {
    const core = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'pod.restarted', namespace: NS },
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: NS }, reason: 'BackOff', message: 'Back-off restarting', type: 'Warning',
      source: { component: 'kubelet', host: 'edge-1' }, count: 3, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:05:00Z',
    };
    expect((await api('POST', `/api/v1/namespaces/${NS}/events`, core)).status).toBe(201);
    const asEvents = await getJson(['events.v1.events.k8s.io', 'pod.restarted', '-n', NS]);
    expect(asEvents).toMatchObject({
      apiVersion: 'events.k8s.io/v1', note: 'Back-off restarting', regarding: { kind: 'Pod', name: 'web-0' }, reportingController: 'kubelet', reportingInstance: 'edge-1',
      deprecatedCount: 3, deprecatedFirstTimestamp: '2026-01-01T00:00:00Z', deprecatedLastTimestamp: '2026-01-01T00:05:00Z', deprecatedSource: { component: 'kubelet', host: 'edge-1' },
    });

    const v1 = chartObjects(NS, 'e').find((o) => o.kind === 'Event') ?? {};
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(v1) });
    const res = await api('GET', `/api/v1/namespaces/${NS}/events/web.started`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      apiVersion: 'v1', kind: 'Event', message: 'web started', involvedObject: { kind: 'Deployment', name: 'web' }, reportingComponent: 'example.com/operator', reportingInstance: 'operator-0', action: 'Started',
    });
    const listed = await kubectl.ok(['get', 'events', '-n', NS]);
    expect(listed).toContain('deployment/web');
    expect(listed).toContain('pod/web-0');
  });
});

describe('namespace deletion', () => {
  it('removes the chart kinds of the namespace', async () => {
    await kubectl.ok(['create', 'namespace', 'doomed']);
    const namespaced = chartObjects('doomed', 'd').filter((o) => (o.metadata as { namespace?: string }).namespace !== undefined);
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(...namespaced) });
    await kubectl.ok(['delete', 'namespace', 'doomed', '--wait=false']);
    await waitFor(async () => (await api('GET', '/api/v1/namespaces/doomed')).status === 404, { timeoutMs: 30_000, description: 'namespace doomed gone' });
    for (const path of ['/api/v1/namespaces/doomed/persistentvolumeclaims', '/apis/networking.k8s.io/v1/namespaces/doomed/ingresses', '/apis/autoscaling/v2/namespaces/doomed/horizontalpodautoscalers', '/apis/events.k8s.io/v1/namespaces/doomed/events']) {
      expect(JSON.parse((await api('GET', path)).body).items, path).toEqual([]);
    }
  });
});
