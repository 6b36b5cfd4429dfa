import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { configMapObject, deploymentObject, manifest, namespaceObject } from '../helpers/kubectl-e2e.js';

/**
 * Server-side apply with a real kubectl 1.32: `apply --server-side`, managedFields, conflicts
 * between managers (another applier, `kubectl scale`, client-side apply), --force-conflicts,
 * and pruning of fields an applier stopped applying.
 */
const NS = 'ssa';
let cloud: CloudProcess;
let kubectl: Kubectl;

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string;
  fieldsV1: Record<string, unknown>;
}

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
});

afterAll(async () => {
  await cloud?.stop();
});

function serverSideApply(obj: Record<string, unknown>, ...flags: string[]) {
  return kubectl(['apply', '--server-side', ...flags, '-f', '-'], { stdin: manifest(obj) });
}

async function getObject(kind: string, name: string): Promise<Record<string, any>> {
  return JSON.parse(await kubectl.ok(['get', kind, name, '-n', NS, '-o', 'json', '--show-managed-fields'])) as Record<string, any>;
}

function managedFields(obj: Record<string, any>): ManagedFieldsEntry[] {
  return (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[];
}

function ownerOf(obj: Record<string, any>, manager: string): ManagedFieldsEntry | undefined {
  return managedFields(obj).find((e) => e.manager === manager);
}

/** kubectl's own advice after a conflict, printed under the server's message. */
const KUBECTL_ADVICE = /Please review the fields above--they currently have other managers[\s\S]*--force-conflicts/;

describe('kubectl apply --server-side', () => {
  it('creates, then applies a change; managedFields show kubectl as the applier', async () => {
    const first = await serverSideApply(deploymentObject(NS, 'web', { replicas: 2, image: 'nginx:1.27' }));
    expect(first.stdout).toBe('deployment.apps/web serverside-applied\n');
    const second = await serverSideApply(deploymentObject(NS, 'web', { replicas: 3, image: 'nginx:1.28' }));
    expect(second.stdout).toBe('deployment.apps/web serverside-applied\n');

    const obj = await getObject('deploy', 'web');
    expect(obj.spec.replicas).toBe(3);
    expect(obj.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(obj.metadata.generation).toBe(2);
    const entries = managedFields(obj);
    expect(entries.map((e) => [e.manager, e.operation, e.apiVersion])).toEqual([['kubectl', 'Apply', 'apps/v1']]);
    expect(entries[0]?.fieldsV1).toMatchObject({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    });
    // Server-side defaults are not the applier's.
    expect(obj.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect((entries[0]?.fieldsV1['f:spec'] as Record<string, unknown>)['f:revisionHistoryLimit']).toBeUndefined();
  });

  it('another manager applying a different value gets a conflict; the same value is shared', async () => {
    await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'shared', { replicas: 2 })) });
    const conflict = await serverSideApply(deploymentObject(NS, 'shared', { replicas: 5 }), '--field-manager=other');
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n');
    expect(conflict.stderr).toMatch(KUBECTL_ADVICE);
    expect((await getObject('deploy', 'shared')).spec.replicas).toBe(2);

    const same = await serverSideApply(deploymentObject(NS, 'shared', { replicas: 2 }), '--field-manager=other');
    expect(same.stdout).toBe('deployment.apps/shared serverside-applied\n');
    const obj = await getObject('deploy', 'shared');
    expect(ownerOf(obj, 'kubectl')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
    expect(ownerOf(obj, 'other')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
  });

  it('--force-conflicts takes the field from the other manager', async () => {
    await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'forced', { replicas: 2 })) });
    const forced = await serverSideApply(deploymentObject(NS, 'forced', { replicas: 4 }), '--field-manager=other', '--force-conflicts');
    expect(forced.stdout).toBe('deployment.apps/forced serverside-applied\n');
    const obj = await getObject('deploy', 'forced');
    expect(obj.spec.replicas).toBe(4);
    expect(ownerOf(obj, 'other')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
    expect(ownerOf(obj, 'kubectl')?.fieldsV1['f:spec']).not.toHaveProperty('f:replicas');
  });

  it('kubectl scale owns the replicas through the scale subresource, so a different applied value conflicts', async () => {
    await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'scaled', { replicas: 2 })) });
    expect(await kubectl.ok(['scale', 'deploy', 'scaled', '-n', NS, '--replicas=3'])).toBe('deployment.apps/scaled scaled\n');
    const scaler = managedFields(await getObject('deploy', 'scaled')).find((e) => e.subresource === 'scale');
    expect(scaler).toMatchObject({ operation: 'Update', apiVersion: 'apps/v1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });

    const conflict = await serverSideApply(deploymentObject(NS, 'scaled', { replicas: 2 }));
    expect(conflict.code).not.toBe(0);
    // kubectl scale sends no fieldManager: the manager is the User-Agent's program name.
    expect(conflict.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl[^"]*" with subresource "scale" using apps\/v1: \.spec\.replicas/);
    expect(conflict.stderr).toMatch(KUBECTL_ADVICE);

    await kubectl.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'scaled', { replicas: 2 })) });
    const obj = await getObject('deploy', 'scaled');
    expect(obj.spec.replicas).toBe(2);
    expect(managedFields(obj).map((e) => e.manager)).toEqual(['kubectl']);
  });

  it('removes a field and a list item the applier stopped applying', async () => {
    const withExtras = deploymentObject(NS, 'pruned', { replicas: 2, sidecarImage: 'busybox:1.36' }) as Record<string, any>;
    withExtras.metadata.labels.tier = 'front';
    await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(withExtras) });
    const before = await getObject('deploy', 'pruned');
    expect(before.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'sidecar']);

    await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'pruned', { replicas: 2 })) });
    const after = await getObject('deploy', 'pruned');
    expect(after.metadata.labels).toEqual({ app: 'pruned' });
    expect(after.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web']);

    await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(configMapObject(NS, 'pruned', { a: '1', b: '2' })) });
    await kubectl.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest(configMapObject(NS, 'pruned', { a: '1' })) });
    expect((await getObject('cm', 'pruned')).data).toEqual({ a: '1' });
  });
});

describe('server-side apply after client-side apply', () => {
  it('conflicts on a changed value owned by kubectl-client-side-apply, unless forced', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'upgraded', { replicas: 2 })) })).toBe(
      'deployment.apps/upgraded created\n',
    );
    const csa = ownerOf(await getObject('deploy', 'upgraded'), 'kubectl-client-side-apply');
    expect(csa).toMatchObject({ operation: 'Update', apiVersion: 'apps/v1' });
    expect(csa?.fieldsV1['f:spec']).toHaveProperty('f:replicas');

    const conflict = await serverSideApply(deploymentObject(NS, 'upgraded', { replicas: 4 }));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');

    expect((await serverSideApply(deploymentObject(NS, 'upgraded', { replicas: 4 }), '--force-conflicts')).stdout).toBe(
      'deployment.apps/upgraded serverside-applied\n',
    );
    expect((await getObject('deploy', 'upgraded')).spec.replicas).toBe(4);
  });

  it('shares equal values, and client-side apply keeps working afterwards', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'mixed', { replicas: 2 })) });
    expect((await serverSideApply(deploymentObject(NS, 'mixed', { replicas: 2 }))).stdout).toBe('deployment.apps/mixed serverside-applied\n');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(deploymentObject(NS, 'mixed', { replicas: 3 })) })).toBe(
      'deployment.apps/mixed configured\n',
    );
    expect((await getObject('deploy', 'mixed')).spec.replicas).toBe(3);
  });
});

describe('managedFields of other writes', () => {
  it('records create and label as Update operations of their kubectl managers', async () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tracked', namespace: NS }, data: { a: '1' } };
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(configMap) });
    await kubectl.ok(['label', 'cm', 'tracked', '-n', NS, 'team=edge']);
    const obj = await getObject('cm', 'tracked');
    expect(managedFields(obj).map((e) => [e.manager, e.operation])).toEqual([
      ['kubectl-create', 'Update'],
      ['kubectl-label', 'Update'],
    ]);
    expect(ownerOf(obj, 'kubectl-create')?.fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:a': {} } });
    expect(ownerOf(obj, 'kubectl-label')?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:team': {} } } });
  });
});
