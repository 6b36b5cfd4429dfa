/**
 * Service accounts over the channel (docs/protocol.md R40–R42): a real CloudHub and an in-process
 * edge. The edge receives its pod's bound token, the issuer's keys, the pod's ServiceAccount and
 * the RBAC objects that grant it anything, and loses them as the grants and the pod go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObject, deleteObject } from '../../cloudcore/apiserver/index.js';
import { createServiceAccountTokenIssuer, signingKeyFrom } from '../../cloudcore/serviceaccounts/index.js';
import { issuerObjectSchema, serviceAccountTokenObjectSchema } from '../../shared/protocol/index.js';
import { keysFromJwks, verifyServiceAccountToken } from '../../shared/serviceaccount/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { startChannelHarness, type ChannelHarness, type InProcessEdge } from '../helpers/channel-harness.js';
import { openHostileNode } from '../helpers/hostile-node.js';
import { waitFor } from '../helpers/poll.js';

let h: ChannelHarness;
let edge: InProcessEdge;
let pod: KubeObject;
const RBAC = 'rbac.authorization.k8s.io';

async function create(group: string, version: string, resource: string, object: Record<string, unknown>): Promise<KubeObject> {
  const def = h.api.registry.get(group, version, resource);
  if (def === undefined) throw new Error(`no ${resource}`);
  return createObject(h.api, def, object as KubeObject, { dryRun: false });
}

async function remove(group: string, version: string, resource: string, namespace: string | undefined, name: string): Promise<void> {
  const def = h.api.registry.get(group, version, resource);
  if (def === undefined) throw new Error(`no ${resource}`);
  await deleteObject(h.api, def, namespace, name, { gracePeriodSeconds: 0, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
}

const held = (kind: string, namespace: string, name: string): boolean => edge.store.objects.get(kind, namespace, name) !== undefined;
const snapshot = (): Record<string, string[]> => Object.fromEntries(['ServiceAccountToken', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].map((k) => [k, kinds(k)]));
const kinds = (kind: string): string[] => edge.store.objects.list(kind).map((o) => `${o.namespace}/${o.name}`).sort();

beforeAll(async () => {
  h = await startChannelHarness({ tokenIssuer: createServiceAccountTokenIssuer({ signingKey: signingKeyFrom(), issuer: 'https://outpost.test' }) });
  await create('', 'v1', 'serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: 'default' } });
  await create(RBAC, 'v1', 'roles', { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'cm', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] });
  await create(RBAC, 'v1', 'rolebindings', {
    apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'reader-cm', namespace: 'default' },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'default' }],
  });
  await create(RBAC, 'v1', 'rolebindings', {
    apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'someone-else', namespace: 'default' },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'writer', namespace: 'default' }],
  });
  await create(RBAC, 'v1', 'clusterroles', { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'node-viewer' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] });
  await create(RBAC, 'v1', 'clusterrolebindings', {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'default-sas-view-nodes' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'node-viewer' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:default' }],
  });
  pod = await create('', 'v1', 'pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'default' },
    spec: {
      nodeName: 'n1', serviceAccountName: 'reader', automountServiceAccountToken: false, containers: [{ name: 'c', image: 'busybox' }],
      volumes: [{ name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }],
    },
  });
  edge = await h.startEdge('n1');
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('service accounts over the channel (protocol 1.5)', () => {
  it('sends the pod-bound token, the issuer, the ServiceAccount and exactly the RBAC objects granting it', async () => {
    await waitFor(() => kinds('ServiceAccountToken').length === 1 && held('ClusterRole', '', 'node-viewer') && held('Role', 'default', 'cm'), { timeoutMs: 10_000, description: () => `edge holds ${JSON.stringify(snapshot())}` });
    expect(held('ServiceAccount', 'default', 'reader')).toBe(true);
    expect(kinds('RoleBinding')).toEqual(['default/reader-cm']);
    expect(kinds('ClusterRoleBinding')).toContain('/default-sas-view-nodes');
    const issuer = issuerObjectSchema.parse(edge.store.objects.list('ServiceAccountIssuer')[0]?.object);
    const token = serviceAccountTokenObjectSchema.parse(edge.store.objects.list('ServiceAccountToken')[0]?.object);
    expect(token.spec).toMatchObject({ podUid: pod.metadata.uid, volume: 'api', path: 'token', serviceAccountName: 'reader' });
    const verified = verifyServiceAccountToken(token.status.token, { keys: keysFromJwks(issuer.jwks), issuer: issuer.issuer, audiences: issuer.apiAudiences, now: Math.floor(Date.now() / 1000) });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.value['kubernetes.io'].pod?.uid).toBe(pod.metadata.uid);
    expect(verified.value['kubernetes.io'].warnafter).toBe(verified.value.iat + 3607);
  });

  it('an edge that said 1.4 is refused since 1.6 (R2), so it never gets the 1.5 objects', async () => {
    const old = await openHostileNode(h.hubUrl, await h.nodeCredentials('n1'));
    try {
      old.send({ kind: 'hello', protocolVersion: '1.4', buildVersion: 'old' });
      expect((await old.closed).code).toBe(4002);
      expect(old.frames.find((f) => f.content.kind === 'error')?.content).toMatchObject({ code: 'UnsupportedVersion' });
      expect(old.frames.filter((f) => f.content.kind === 'upsert')).toEqual([]);
    } finally {
      old.ws.close();
    }
    await waitFor(() => edge.hub.state().phase === 'connected' && held('Role', 'default', 'cm'), { timeoutMs: 15_000, description: () => `edge holds ${JSON.stringify(snapshot())}` });
  });

  it('withdraws a binding that no longer applies, and the role only it needed', async () => {
    await remove(RBAC, 'v1', 'rolebindings', 'default', 'reader-cm');
    await waitFor(() => !held('RoleBinding', 'default', 'reader-cm') && !held('Role', 'default', 'cm'), { timeoutMs: 10_000, description: () => `edge holds ${JSON.stringify(snapshot())}` });
    expect(held('ClusterRoleBinding', '', 'default-sas-view-nodes')).toBe(true);
  });

  it('withdraws the token, the ServiceAccount and every RBAC object when the pod goes', async () => {
    await remove('', 'v1', 'pods', 'default', 'app');
    await waitFor(() => kinds('ServiceAccountToken').length === 0 && !held('ServiceAccount', 'default', 'reader') && kinds('ClusterRoleBinding').length === 0 && kinds('ClusterRole').length === 0, { timeoutMs: 10_000, description: () => `edge holds ${JSON.stringify(snapshot())}` });
  });
});
