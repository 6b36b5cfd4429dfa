import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { configMapObject, deploymentObject, eventually, manifest, namespaceObject } from '../helpers/kubectl-e2e.js';

/**
 * Writing with a real kubectl 1.32: client-side apply (created, configured, unchanged), create,
 * replace, the three patch types, label, annotate, scale and set image.
 */
const NS = 'write';
let cloud: CloudProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) })).toBe('namespace/write created\n');
});

afterAll(async () => {
  await cloud?.stop();
});

async function jsonpath(args: string[], path: string): Promise<string> {
  return kubectl.ok(['get', ...args, '-n', NS, '-o', `jsonpath=${path}`]);
}

describe('kubectl apply', () => {
  it('creates, then configures a change, then reports an unchanged manifest', async () => {
    const first = deploymentObject(NS, 'api', { replicas: 2, image: 'nginx:1.27' });
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(first) })).toBe('deployment.apps/api created\n');
    expect(await jsonpath(['deploy', 'api'], '{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}')).toContain('"image":"nginx:1.27"');

    const changed = deploymentObject(NS, 'api', { replicas: 3, image: 'nginx:1.28' });
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(changed) })).toBe('deployment.apps/api configured\n');
    expect(await jsonpath(['deploy', 'api'], '{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation}')).toBe('3 nginx:1.28 2');

    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(changed) })).toBe('deployment.apps/api unchanged\n');
    expect(await jsonpath(['deploy', 'api'], '{.metadata.generation}')).toBe('2');
  });

  it('removes a field dropped from the manifest (three-way merge)', async () => {
    const withExtra = configMapObject(NS, 'settings', { color: 'blue', size: 'xl' });
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(withExtra) })).toBe('configmap/settings created\n');
    const withoutSize = configMapObject(NS, 'settings', { color: 'green' });
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(withoutSize) })).toBe('configmap/settings configured\n');
    expect(JSON.parse(await jsonpath(['cm', 'settings'], '{.data}'))).toEqual({ color: 'green' });
  });

  it('applies several objects of different kinds in one stream', async () => {
    const out = await kubectl.ok(['apply', '-f', '-'], {
      stdin: manifest(configMapObject(NS, 'multi-a', { a: '1' }), configMapObject(NS, 'multi-b', { b: '2' }), deploymentObject(NS, 'multi', { replicas: 1 })),
    });
    expect(out).toBe('configmap/multi-a created\nconfigmap/multi-b created\ndeployment.apps/multi created\n');
  });
});

describe('kubectl create and replace', () => {
  it('create -f creates and replace -f replaces the whole object', async () => {
    expect(await kubectl.ok(['create', '-f', '-'], { stdin: manifest(configMapObject(NS, 'created', { one: '1', two: '2' })) })).toBe(
      'configmap/created created\n',
    );
    expect(await kubectl.ok(['replace', '-f', '-'], { stdin: manifest(configMapObject(NS, 'created', { three: '3' }, { replaced: 'done' })) })).toBe(
      'configmap/created replaced\n',
    );
    expect(JSON.parse(await jsonpath(['cm', 'created'], '{.data}'))).toEqual({ three: '3' });
    expect(await jsonpath(['cm', 'created'], '{.metadata.labels.replaced}')).toBe('done');
  });

  it('replace of a deployment bumps its generation and keeps its uid', async () => {
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'swap', { replicas: 1, image: 'nginx:1.27' })) });
    const uid = await jsonpath(['deploy', 'swap'], '{.metadata.uid}');
    expect(await kubectl.ok(['replace', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'swap', { replicas: 1, image: 'nginx:1.29' })) })).toBe(
      'deployment.apps/swap replaced\n',
    );
    expect(await jsonpath(['deploy', 'swap'], '{.metadata.uid} {.metadata.generation} {.spec.template.spec.containers[0].image}')).toBe(`${uid} 2 nginx:1.29`);
  });
});

describe('kubectl patch', () => {
  beforeAll(async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      stdin: manifest(deploymentObject(NS, 'patched', { replicas: 1, image: 'nginx:1.27', sidecarImage: 'busybox:1.36' }), configMapObject(NS, 'merge-me', { a: '1', b: '2' })),
    });
  });

  it('strategic (the default) merges containers by name', async () => {
    const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } });
    expect(await kubectl.ok(['patch', 'deployment', 'patched', '-n', NS, '-p', patch])).toBe('deployment.apps/patched patched\n');
    expect(await jsonpath(['deploy', 'patched'], '{range .spec.template.spec.containers[*]}{.name}={.image} {end}')).toBe('web=nginx:1.28 sidecar=busybox:1.36 ');
    // Patching to what is already there changes nothing.
    expect(await kubectl.ok(['patch', 'deployment', 'patched', '-n', NS, '-p', patch])).toBe('deployment.apps/patched patched (no change)\n');
  });

  it('strategic $patch: delete removes one list element', async () => {
    const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } });
    expect(await kubectl.ok(['patch', 'deployment', 'patched', '-n', NS, '--type=strategic', '-p', patch])).toBe('deployment.apps/patched patched\n');
    expect(await jsonpath(['deploy', 'patched'], '{.spec.template.spec.containers[*].name}')).toBe('web');
  });

  it('merge sets and removes keys (null deletes)', async () => {
    const out = await kubectl.ok(['patch', 'configmap', 'merge-me', '-n', NS, '--type=merge', '-p', '{"data":{"a":null,"c":"3"}}']);
    expect(out).toBe('configmap/merge-me patched\n');
    expect(JSON.parse(await jsonpath(['cm', 'merge-me'], '{.data}'))).toEqual({ b: '2', c: '3' });
  });

  it('json applies RFC 6902 operations', async () => {
    const ops = JSON.stringify([
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/metadata/labels/patched-by', value: 'json' },
    ]);
    expect(await kubectl.ok(['patch', 'deployment', 'patched', '-n', NS, '--type=json', '-p', ops])).toBe('deployment.apps/patched patched\n');
    expect(await jsonpath(['deploy', 'patched'], '{.spec.replicas} {.metadata.labels.patched-by}')).toBe('5 json');
  });

  it('a failed json test operation changes nothing', async () => {
    const ops = JSON.stringify([{ op: 'test', path: '/spec/replicas', value: 99 }, { op: 'replace', path: '/spec/replicas', value: 1 }]);
    const result = await kubectl(['patch', 'deployment', 'patched', '-n', NS, '--type=json', '-p', ops]);
    expect(result.code).not.toBe(0);
    // 422 Invalid with empty details, as kube-apiserver answers a failed test (docs/kubectl.md § Errors).
    expect(result.stderr).toMatch(/^The request is invalid: testing value \/spec\/replicas failed/m);
    expect(await jsonpath(['deploy', 'patched'], '{.spec.replicas}')).toBe('5');
  });
});

describe('kubectl label, annotate, scale, set image', () => {
  beforeAll(async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(configMapObject(NS, 'tagged', { k: 'v' }), deploymentObject(NS, 'scaled', { replicas: 1, image: 'nginx:1.27' })) });
  });

  it('label adds, overwrites and removes labels', async () => {
    expect(await kubectl.ok(['label', 'configmap', 'tagged', '-n', NS, 'env=dev', 'team=edge'])).toBe('configmap/tagged labeled\n');
    const refused = await kubectl(['label', 'configmap', 'tagged', '-n', NS, 'env=prod']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("'env' already has a value (dev), and --overwrite is false");
    expect(await kubectl.ok(['label', 'configmap', 'tagged', '-n', NS, 'env=prod', '--overwrite'])).toBe('configmap/tagged labeled\n');
    expect(await kubectl.ok(['label', 'configmap', 'tagged', '-n', NS, 'team-'])).toBe('configmap/tagged unlabeled\n');
    expect(await kubectl.ok(['get', 'cm', 'tagged', '-n', NS, '--show-labels'])).toMatch(/^tagged\s+1\s+[0-9smhd]+\s+env=prod$/m);
  });

  it('annotate adds and removes annotations', async () => {
    expect(await kubectl.ok(['annotate', 'configmap', 'tagged', '-n', NS, 'owner=ops team'])).toBe('configmap/tagged annotated\n');
    expect(await jsonpath(['cm', 'tagged'], '{.metadata.annotations.owner}')).toBe('ops team');
    expect(await kubectl.ok(['annotate', 'configmap', 'tagged', '-n', NS, 'owner-'])).toBe('configmap/tagged annotated\n');
    expect(await kubectl.ok(['get', 'cm', 'tagged', '-n', NS, '-o', 'json'])).not.toContain('"owner"');
  });

  it('scale changes spec.replicas through the scale subresource', async () => {
    expect(await kubectl.ok(['scale', 'deployment', 'scaled', '-n', NS, '--replicas=4'])).toBe('deployment.apps/scaled scaled\n');
    expect(await jsonpath(['deploy', 'scaled'], '{.spec.replicas}')).toBe('4');
    const stale = await kubectl(['scale', 'deployment', 'scaled', '-n', NS, '--replicas=2', '--current-replicas=3']);
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain('Expected replicas to be 3, was 4');
    // The deployment controller creates the 4 pods (up to date, never available: no node runs them).
    await eventually(async () => /^scaled\s+0\/4\s+4\s+0\s+[0-9smhd]+$/m.test(await kubectl.ok(['get', 'deploy', 'scaled', '-n', NS])), 'scaled to show 0/4 ready, 4 up to date', 60_000);
  });

  it('set image changes a container image', async () => {
    expect(await kubectl.ok(['set', 'image', 'deployment/scaled', '-n', NS, 'web=nginx:1.29'])).toBe('deployment.apps/scaled image updated\n');
    expect(await jsonpath(['deploy', 'scaled'], '{.spec.template.spec.containers[0].image}')).toBe('nginx:1.29');
    const missing = await kubectl(['set', 'image', 'deployment/scaled', '-n', NS, 'nope=nginx:1.29']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('unable to find container named "nope"');
  });
});
