import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { serviceAccountTokenObjectSchema } from '../../shared/protocol/index.js';
import { ObjectStore, type ObjectEvent } from '../apiserver/index.js';
import { createMemoryStore } from '../storage/index.js';
import { SharedInformer } from '../informers/index.js';
import { createServiceAccountTokenIssuer, signingKeyFrom } from '../serviceaccounts/index.js';
import type { NodeChange } from './downstream-frames.js';
import { NodeObjectIndex } from './node-object-index.js';
import { createNodeAuthorizer } from './node-authorizer.js';
import type { AuthorizationAttributes } from '../apiserver/auth/authorize.js';

const objects = new ObjectStore(createMemoryStore());
const RBAC = 'rbac.authorization.k8s.io';
const informer = (resource: string, group = '', namespaced = true) => new SharedInformer({ group, resource, namespaced }, objects, silentLogger());

function setup(now: () => number = Date.now) {
  const rbac = { roles: informer('roles', RBAC), clusterroles: informer('clusterroles', RBAC, false), rolebindings: informer('rolebindings', RBAC), clusterrolebindings: informer('clusterrolebindings', RBAC, false) };
  const informers = {
    pods: informer('pods'), nodes: informer('nodes', '', false), configmaps: informer('configmaps'), secrets: informer('secrets'), serviceaccounts: informer('serviceaccounts'),
    devices: informer('devices', 'devices.kubeedge.io'), devicemodels: informer('devicemodels', 'devices.kubeedge.io'), rbac,
  };
  const issuer = createServiceAccountTokenIssuer({ signingKey: signingKeyFrom(), issuer: 'https://outpost.test', now: () => new Date(now()) });
  const index = new NodeObjectIndex(informers, issuer, now);
  for (const i of [...Object.values(rbac), informers.pods, informers.nodes, informers.configmaps, informers.secrets, informers.serviceaccounts, informers.devices, informers.devicemodels]) i.replaceAll([], 1);
  let revision = 10;
  type Kind = Exclude<keyof typeof informers, 'rbac'> | keyof typeof rbac;
  const put = (resource: Kind, object: KubeObject, type: ObjectEvent['type'] = 'ADDED'): KubeObject => {
    revision++;
    const versioned = { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
    const target = resource in rbac ? rbac[resource as keyof typeof rbac] : informers[resource as Exclude<Kind, keyof typeof rbac>];
    target.apply({ type, object: versioned, previous: undefined, revision, objectJson: () => JSON.stringify(versioned) });
    return versioned;
  };
  const seen: Array<{ op: string; kind: string; uid: string; name: string }> = [];
  const record = (change: NodeChange): void => {
    const content = JSON.parse(change.frame()).content as { kind: string; object?: KubeObject; name?: string };
    seen.push({ op: content.kind, kind: content.object?.kind ?? '', uid: change.uid, name: content.object?.metadata.name ?? content.name ?? '' });
  };
  const old: NodeChange[] = [];
  index.subscribe('n1', record, { devices: true, serviceAccounts: true });
  index.subscribe('n1', (c) => old.push(c), { devices: true });
  return { index, put, seen, old };
}

const sa = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default', uid: `sa-${name}` } });
const tokenPod = (name: string, account: string, expirationSeconds = 3607): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `p-${name}` },
  spec: { nodeName: 'n1', serviceAccountName: account, containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds } }] } }] },
});
const role = (name: string): KubeObject => ({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace: 'default', uid: `role-${name}` }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] } as KubeObject);
const binding = (name: string, subject: Record<string, string>, roleName = 'cm'): KubeObject =>
  ({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace: 'default', uid: `rb-${name}` }, roleRef: { apiGroup: RBAC, kind: 'Role', name: roleName }, subjects: [subject] } as KubeObject);

describe('NodeObjectIndex: service accounts at the edge (protocol.md R40–R41)', () => {
  it('issues a pod-bound token once the service account exists, with the extended lifetime; never to a 1.4 session', () => {
    const { put, seen, old } = setup();
    put('pods', tokenPod('app', 'reader'));
    expect(seen.filter((s) => s.kind === 'ServiceAccountToken')).toEqual([]);
    put('serviceaccounts', sa('reader'));
    const tokens = seen.filter((s) => s.kind === 'ServiceAccountToken');
    expect(tokens).toHaveLength(1);
    expect(old.some((c) => c.uid === tokens[0]?.uid)).toBe(false);
  });

  it('answers an inventory with the issuer, the token and the RBAC objects only for a 1.5 audience', () => {
    const { index, put } = setup();
    put('serviceaccounts', sa('reader'));
    put('roles', role('cm'));
    put('rolebindings', binding('reader-cm', { kind: 'ServiceAccount', name: 'reader', namespace: 'default' }));
    put('pods', tokenPod('app', 'reader'));
    const kinds = (serviceAccounts: boolean) => [...index.desiredOf('n1', { devices: true, serviceAccounts })].map((c) => JSON.parse(c.frame()).content.object.kind as string).sort();
    expect(kinds(true)).toEqual(['Pod', 'Role', 'RoleBinding', 'ServiceAccount', 'ServiceAccountIssuer', 'ServiceAccountToken']);
    expect(kinds(false)).toEqual(['Pod', 'ServiceAccount']);
    const token = [...index.desiredOf('n1')].map((c) => JSON.parse(c.frame()).content.object as unknown).find((o) => serviceAccountTokenObjectSchema.safeParse(o).success);
    const claims = JSON.parse(Buffer.from(serviceAccountTokenObjectSchema.parse(token).status.token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number; 'kubernetes.io': { warnafter?: number; pod?: { uid: string } } };
    expect(claims.exp - claims.iat).toBe(365 * 24 * 3600);
    expect(claims['kubernetes.io']).toMatchObject({ warnafter: claims.iat + 3607, pod: { uid: 'p-app' } });
  });

  it('sends only bindings whose subjects match the node\'s accounts, and withdraws them when they stop matching', () => {
    const { index, put, seen } = setup();
    put('serviceaccounts', sa('reader'));
    put('pods', tokenPod('app', 'reader'));
    put('roles', role('cm'));
    put('rolebindings', binding('other', { kind: 'ServiceAccount', name: 'writer', namespace: 'default' }));
    put('rolebindings', binding('group', { kind: 'Group', name: 'system:serviceaccounts:default' }));
    expect(index.holdsRbac('n1', 'rolebindings', 'default', 'group')).toBe(true);
    expect(index.holdsRbac('n1', 'rolebindings', 'default', 'other')).toBe(false);
    expect(index.holdsRbac('n1', 'roles', 'default', 'cm')).toBe(true);
    put('rolebindings', binding('group', { kind: 'Group', name: 'system:serviceaccounts:kube-system' }), 'MODIFIED');
    expect(seen.slice(-2).map((s) => `${s.op}:${s.uid}`).sort()).toEqual(['delete:rb-group', 'delete:role-cm']);
    expect(index.holdsRbac('n1', 'roles', 'default', 'cm')).toBe(false);
  });

  it('a role\'s update reaches the nodes holding it; the pod\'s deletion withdraws its token and the grants', () => {
    const { put, seen } = setup();
    put('serviceaccounts', sa('reader'));
    put('roles', role('cm'));
    put('rolebindings', binding('reader-cm', { kind: 'ServiceAccount', name: 'reader', namespace: 'default' }));
    put('pods', tokenPod('app', 'reader'));
    put('roles', { ...role('cm'), rules: [] } as KubeObject, 'MODIFIED');
    expect(seen.at(-1)).toMatchObject({ op: 'upsert', uid: 'role-cm' });
    const token = seen.find((s) => s.kind === 'ServiceAccountToken');
    put('pods', tokenPod('app', 'reader'), 'DELETED');
    const deleted = seen.filter((s) => s.op === 'delete').map((s) => s.uid);
    expect(deleted).toEqual(expect.arrayContaining([token?.uid, 'sa-reader', 'rb-reader-cm', 'role-cm']));
  });

  it('the Node authorizer lets a node get the RBAC objects it holds, and no others', () => {
    const { index, put } = setup();
    put('serviceaccounts', sa('reader'));
    put('pods', tokenPod('app', 'reader'));
    put('roles', role('cm'));
    put('roles', role('unbound'));
    put('rolebindings', binding('reader-cm', { kind: 'ServiceAccount', name: 'reader', namespace: 'default' }));
    const authorize = createNodeAuthorizer(index, () => true, () => ({ allowed: false, reason: 'next' }));
    const get = (node: string, resource: string, name: string): boolean =>
      authorize({ user: { name: `system:node:${node}`, groups: ['system:nodes'] }, verb: 'get', isResource: true, group: RBAC, resource, subresource: undefined, namespace: 'default', name, path: '' } as AuthorizationAttributes).allowed;
    expect(get('n1', 'roles', 'cm')).toBe(true);
    expect(get('n1', 'rolebindings', 'reader-cm')).toBe(true);
    expect(get('n1', 'roles', 'unbound')).toBe(false);
    expect(get('n2', 'roles', 'cm')).toBe(false);
  });

  it('a binding listed after the pods (a cloud restart) reaches nodes without a session', () => {
    const { index, put } = setup();
    put('serviceaccounts', sa('reader'));
    put('pods', { ...tokenPod('other', 'reader'), spec: { ...(tokenPod('other', 'reader').spec as object), nodeName: 'n2' } } as KubeObject);
    put('clusterroles', { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'discovery', uid: 'cr-discovery' }, rules: [] } as KubeObject);
    put('clusterrolebindings', { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'discovery', uid: 'crb-discovery' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] } as KubeObject);
    expect(index.holdsRbac('n2', 'clusterrolebindings', '', 'discovery')).toBe(true);
    expect(index.holdsRbac('n2', 'clusterroles', '', 'discovery')).toBe(true);
  });

  it('re-issues a token after 80% of its lifetime while the node is connected', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { index, put, seen } = setup(() => clock);
    put('serviceaccounts', sa('reader'));
    put('pods', tokenPod('app', 'reader', 600));
    const first = seen.filter((s) => s.kind === 'ServiceAccountToken');
    clock += 470_000;
    index.rotateTokens();
    expect(seen.filter((s) => s.kind === 'ServiceAccountToken')).toHaveLength(first.length);
    clock += 20_000;
    index.rotateTokens();
    const after = seen.filter((s) => s.kind === 'ServiceAccountToken');
    expect(after).toHaveLength(2);
    expect(after[1]?.uid).toBe(after[0]?.uid);
  });
});
