import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { eventually, followOutput, manifest, namespaceObject } from '../helpers/kubectl-e2e.js';

/**
 * CustomResourceDefinitions with a real kubectl 1.32: a CRD is served at once, its kind is read,
 * applied, patched, watched, scaled, described and deleted like a built-in one, its schema is
 * enforced with Kubernetes' messages, and deleting the CRD takes its objects and its kind away.
 */
const NS = 'crd';
let cloud: CloudProcess;
let kubectl: Kubectl;
let api: ReturnType<typeof rawClient>;

function widgetCrd(options: { plural?: string; kind?: string; group?: string } = {}): Record<string, unknown> {
  const plural = options.plural ?? 'widgets';
  const group = options.group ?? 'example.com';
  const kind = options.kind ?? 'Widget';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, kind, shortNames: ['wd'], categories: ['all'] },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Mode', type: 'string', jsonPath: '.spec.mode', priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1, maximum: 10 },
                  mode: { type: 'string', enum: ['fast', 'slow'], default: 'fast' },
                  replicas: { type: 'integer', default: 1 },
                  config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer' },
                  selector: { type: 'string' },
                  conditions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } } },
                },
              },
            },
          },
        },
      }],
    },
  };
}

function widget(name: string, spec: Record<string, unknown>, kind = 'Widget', apiVersion = 'example.com/v1'): Record<string, unknown> {
  return { apiVersion, kind, metadata: { name, namespace: NS }, spec };
}

async function installCrd(crd: Record<string, unknown>): Promise<void> {
  const name = (crd.metadata as { name: string }).name;
  expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(crd) })).toBe(`customresourcedefinition.apiextensions.k8s.io/${name} created\n`);
  await kubectl.ok(['wait', '--for', 'condition=Established', `crd/${name}`, '--timeout=20s']);
}

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
  await installCrd(widgetCrd());
});

afterAll(async () => {
  await cloud?.stop();
});

describe('a new CRD', () => {
  it('is accepted, established and discoverable at once', async () => {
    const status = await kubectl.ok(['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status} {end}|{.status.acceptedNames.kind}|{.status.storedVersions}']);
    expect(status).toBe('NamesAccepted=True Established=True |Widget|["v1"]');
    expect(await kubectl.ok(['api-resources', '--api-group=example.com'])).toMatch(/^widgets\s+wd\s+example\.com\/v1\s+true\s+Widget$/m);
    expect(await kubectl.ok(['get', 'crds'])).toMatch(/^NAME\s+CREATED AT\n(.*\n)*widgets\.example\.com\s+\d{4}-\d\d-\d\dT/m);
  });

  it('rejects an invalid CRD with the field path', async () => {
    const bad = widgetCrd({ group: 'example' });
    const res = await kubectl(['apply', '-f', '-'], { stdin: manifest(bad) });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('The CustomResourceDefinition "widgets.example" is invalid: spec.group: Invalid value: "example": should be a domain with at least one dot');
  });
});

describe('custom resources with kubectl', () => {
  it('apply creates, configures and leaves unchanged; defaults are filled in', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(widget('w1', { size: 3 })) })).toBe('widget.example.com/w1 created\n');
    expect(await kubectl.ok(['get', 'widget', 'w1', '-n', NS, '-o', 'jsonpath={.spec.mode} {.spec.replicas} {.metadata.generation}'])).toBe('fast 1 1');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(widget('w1', { size: 4, config: { free: { form: true } } })) })).toBe('widget.example.com/w1 configured\n');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(widget('w1', { size: 4, config: { free: { form: true } } })) })).toBe('widget.example.com/w1 unchanged\n');
    expect(await kubectl.ok(['get', 'wd', 'w1', '-n', NS, '-o', 'jsonpath={.spec.size} {.spec.config.free.form} {.metadata.generation}'])).toBe('4 true 2');
  });

  it('get prints the printer columns (priority 1 only with -o wide)', async () => {
    const out = await kubectl.ok(['get', 'widgets', '-n', NS]);
    expect(out).toMatch(/^NAME\s+SIZE\s+READY\s+AGE\n/);
    // A column with nothing to show is an empty cell, as cert-manager's READY before its first status.
    expect(out).toMatch(/^w1\s+4\s+\d+s\n/m);
    const wide = await kubectl.ok(['get', 'widgets', '-n', NS, '-o', 'wide']);
    expect(wide).toMatch(/^NAME\s+SIZE\s+READY\s+MODE\s+AGE\n/);
    expect(wide).toMatch(/^w1\s+4\s+fast\s+\d+s\n/m);
  });

  it('patch --type=merge and --type=json change the object', async () => {
    expect(await kubectl.ok(['patch', 'widget', 'w1', '-n', NS, '--type=merge', '-p', '{"spec":{"size":5}}'])).toBe('widget.example.com/w1 patched\n');
    expect(await kubectl.ok(['patch', 'widget', 'w1', '-n', NS, '--type=json', '-p', '[{"op":"replace","path":"/spec/mode","value":"slow"}]'])).toBe('widget.example.com/w1 patched\n');
    expect(await kubectl.ok(['get', 'widget', 'w1', '-n', NS, '-o', 'jsonpath={.spec.size} {.spec.mode}'])).toBe('5 slow');
  });

  it('a schema violation gets kubectl\'s invalid message with the field path', async () => {
    const res = await kubectl(['apply', '-f', '-'], { stdin: manifest(widget('w2', { size: 30 })) });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('The Widget "w2" is invalid: spec.size: Invalid value: 30: spec.size in body should be less than or equal to 10');
    const patched = await kubectl(['patch', 'widget', 'w1', '-n', NS, '--type=merge', '-p', '{"spec":{"mode":"medium"}}']);
    expect(patched.stderr).toContain('The Widget "w1" is invalid: spec.mode: Unsupported value: "medium": supported values: "fast", "slow"');
  });

  it('unknown fields are refused under strict validation and pruned without it', async () => {
    const strict = await kubectl(['apply', '-f', '-'], { stdin: manifest(widget('w3', { size: 2, bogus: 1 })) });
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "spec.bogus"');
    expect(await kubectl.ok(['apply', '--validate=false', '-f', '-'], { stdin: manifest(widget('w3', { size: 2, bogus: 1 })) })).toBe('widget.example.com/w3 created\n');
    expect(await kubectl.ok(['get', 'widget', 'w3', '-n', NS, '-o', 'jsonpath={.spec}'])).toBe('{"mode":"fast","replicas":1,"size":2}');
  });

  it('get -w shows changes as they happen', async () => {
    const watch = followOutput(kubectl.spawn(['get', 'widgets', '-n', NS, '-w', '--output-watch-events']));
    try {
      await watch.waitFor(/ADDED\s+w1\s/);
      await kubectl.ok(['patch', 'widget', 'w1', '-n', NS, '--type=merge', '-p', '{"spec":{"size":7}}']);
      await watch.waitFor(/MODIFIED\s+w1\s+7\s/);
    } finally {
      watch.kill();
    }
  });

  it('describe shows the object and its events', async () => {
    const uid = await kubectl.ok(['get', 'widget', 'w1', '-n', NS, '-o', 'jsonpath={.metadata.uid}']);
    const event = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: 'w1.widget-event', namespace: NS },
      involvedObject: { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w1', namespace: NS, uid },
      reason: 'Polished', message: 'the widget was polished', type: 'Normal', count: 1,
      source: { component: 'widget-controller' },
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    expect((await api('POST', `/api/v1/namespaces/${NS}/events`, event)).status).toBe(201);
    const out = await kubectl.ok(['describe', 'widget', 'w1', '-n', NS]);
    expect(out).toMatch(/^Name:\s+w1$/m);
    expect(out).toMatch(/^API Version:\s+example\.com\/v1$/m);
    expect(out).toMatch(/^Kind:\s+Widget$/m);
    expect(out).toMatch(/^\s+Size:\s+7$/m);
    expect(out).toMatch(/Normal\s+Polished\s+\S+\s+widget-controller\s+the widget was polished/);
  });

  it('kubectl scale uses the scale subresource', async () => {
    expect(await kubectl.ok(['scale', 'widget', 'w1', '-n', NS, '--replicas=4'])).toBe('widget.example.com/w1 scaled\n');
    expect(await kubectl.ok(['get', 'widget', 'w1', '-n', NS, '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
    const scale = await api('GET', `/apis/example.com/v1/namespaces/${NS}/widgets/w1/scale`);
    expect(scale.json()).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 }, status: { replicas: 0 } });
  });

  it('status is a subresource: each write changes only its own part; generation follows the spec', async () => {
    const path = `/apis/example.com/v1/namespaces/${NS}/widgets/w1`;
    const before = (await api('GET', path)).json<{ metadata: { generation: number }; spec: Record<string, unknown> }>();
    const statusPatch = await api('PATCH', `${path}/status`, { spec: { size: 9 }, status: { replicas: 4, selector: 'app=w1', conditions: [{ type: 'Ready', status: 'True' }] } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(statusPatch.status).toBe(200);
    const afterStatus = statusPatch.json<{ metadata: { generation: number }; spec: Record<string, unknown>; status: unknown }>();
    expect(afterStatus.spec).toEqual(before.spec);
    expect(afterStatus.metadata.generation).toBe(before.metadata.generation);
    const mainPatch = await api('PATCH', path, { spec: { size: 8 }, status: { replicas: 99 } }, { 'Content-Type': 'application/merge-patch+json' });
    const afterMain = mainPatch.json<{ metadata: { generation: number }; spec: { size: number }; status: { replicas: number } }>();
    expect(afterMain.spec.size).toBe(8);
    expect(afterMain.status.replicas).toBe(4);
    expect(afterMain.metadata.generation).toBe(before.metadata.generation + 1);
    expect(await kubectl.ok(['get', 'widgets', 'w1', '-n', NS, '--no-headers'])).toMatch(/^w1\s+8\s+True\s+\d+s$/m);
    expect((await api('GET', `${path}/scale`)).json()).toMatchObject({ status: { replicas: 4, selector: 'app=w1' } });
  });

  it('strategic merge patch gets 415, as for custom resources on a real server', async () => {
    const res = await api('PATCH', `/apis/example.com/v1/namespaces/${NS}/widgets/w1`, { spec: { size: 2 } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(res.status).toBe(415);
  });

  it('get all includes kinds in the "all" category', async () => {
    expect(await kubectl.ok(['get', 'all', '-n', NS])).toMatch(/^widget\.example\.com\/w1\s/m);
  });

  it('delete removes an object', async () => {
    expect(await kubectl.ok(['delete', 'widget', 'w3', '-n', NS])).toBe('widget.example.com "w3" deleted\n');
    const res = await kubectl(['get', 'widget', 'w3', '-n', NS]);
    expect(res.stderr).toContain('widgets.example.com "w3" not found');
  });
});

describe('deleting a CRD', () => {
  it('deletes its objects and removes the kind from discovery', async () => {
    await installCrd(widgetCrd({ plural: 'gadgets', kind: 'Gadget' }));
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(widget('g1', { size: 1 }, 'Gadget'), widget('g2', { size: 2 }, 'Gadget')) })).toBe(
      'gadget.example.com/g1 created\ngadget.example.com/g2 created\n',
    );
    expect(await kubectl.ok(['delete', 'crd', 'gadgets.example.com'])).toBe('customresourcedefinition.apiextensions.k8s.io "gadgets.example.com" deleted\n');
    expect((await api('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com')).status).toBe(404);
    const resources = (await api('GET', '/apis/example.com/v1')).json<{ resources: { name: string }[] }>();
    expect(resources.resources.map((r) => r.name)).not.toContain('gadgets');
    expect((await api('GET', `/apis/example.com/v1/namespaces/${NS}/gadgets`)).status).toBe(404);
    // A kubectl with no discovery cache learns that the kind is gone.
    const res = await createKubectl(cloud.kubeconfig)(['get', 'gadgets', '-n', NS]);
    expect(res.stderr).toContain('the server doesn\'t have a resource type "gadgets"');
    // Created again, the kind starts empty: the old objects went with the old CRD.
    await installCrd(widgetCrd({ plural: 'gadgets', kind: 'Gadget' }));
    expect((await kubectl.ok(['get', 'gadgets', '-n', NS, '-o', 'name']))).toBe('');
  });
});

describe('restart', () => {
  it('serves stored CRDs and their objects again after cloudcore restarts', async () => {
    const own = await startCloud();
    try {
      const k = createKubectl(own.kubeconfig);
      await k.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
      await k.ok(['apply', '-f', '-'], { stdin: manifest(widgetCrd()) });
      await k.ok(['wait', '--for', 'condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
      await eventually(async () => (await k(['apply', '-f', '-'], { stdin: manifest(widget('survivor', { size: 2 })) })).code === 0, 'the widget to be created');
      await own.stop();
      const again = await startCloud({ dataDir: own.dataDir });
      try {
        const k2 = createKubectl(again.kubeconfig);
        // No waiting: the kind is served before the API accepts its first request.
        const direct = rawClient(readKubeconfig(again.kubeconfig));
        expect((await direct('GET', `/apis/example.com/v1/namespaces/${NS}/widgets/survivor`)).status).toBe(200);
        expect(await k2.ok(['get', 'widget', 'survivor', '-n', NS, '-o', 'jsonpath={.spec.size}'])).toBe('2');
      } finally {
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
