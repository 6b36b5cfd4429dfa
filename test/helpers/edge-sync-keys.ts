import { ISSUER_OBJECT_NAME, SERVICE_ACCOUNT_ISSUER_KIND, SERVICE_ACCOUNT_TOKEN_KIND, tokenObjectName, tokenObjectUid } from '../../shared/protocol/index.js';
import { readBinding, subjectMatches } from '../../shared/rbac/index.js';
import { serviceAccountGroups, serviceAccountUsername } from '../../shared/serviceaccount/index.js';
import type { Api } from './channel-e2e.js';

/** How the edge-sync tests compare edge.db with the cloud's view: one key per object. */
export type Obj = Record<string, unknown>;
export const asObj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
export const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface Meta {
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string; deletionTimestamp?: string };
  kind?: string;
}

/** A row as one comparable string: kind namespace/name uid@resourceVersion. */
export function rowKey(kind: string, namespace: string, name: string, uid: string, resourceVersion: string): string {
  return `${kind} ${namespace}/${name} ${uid}@${resourceVersion}`;
}

/**
 * Tokens carry versions of the cloud process (docs/protocol.md R40), and the issuer's uid and
 * version come from its keys: those parts are compared as `*`.
 */
export function comparableKey(kind: string, namespace: string, name: string, uid: string, resourceVersion: string): string {
  if (kind === SERVICE_ACCOUNT_TOKEN_KIND) return rowKey(kind, namespace, name, uid, '*');
  if (kind === SERVICE_ACCOUNT_ISSUER_KIND) return rowKey(kind, namespace, name, '*', '*');
  return rowKey(kind, namespace, name, uid, resourceVersion);
}

/**
 * What protocol 1.5 adds for the node's service accounts (docs/protocol.md R40–R41): the issuer,
 * one token per projected token source of a pod whose account exists, and the RBAC bindings whose
 * subjects match an account (with the roles they bind).
 */
export async function serviceAccountKeys(api: Api, pods: Array<Obj & Meta>, accounts: Array<{ namespace: string; name: string }>): Promise<string[]> {
  const keys = [comparableKey(SERVICE_ACCOUNT_ISSUER_KIND, '', ISSUER_OBJECT_NAME, '', '')];
  const existing = new Set(accounts.map((a) => `${a.namespace}/${a.name}`));
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? '';
    const spec = asObj(pod.spec) ?? {};
    const account = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : 'default';
    if (!existing.has(`${ns}/${account}`)) continue;
    for (const volume of asArr(spec.volumes).map(asObj)) {
      const volumeName = typeof volume?.name === 'string' ? volume.name : '';
      for (const source of asArr(asObj(volume?.projected)?.sources).map(asObj)) {
        const path = asObj(source?.serviceAccountToken)?.path;
        if (typeof path !== 'string' || path === '') continue;
        const uid = tokenObjectUid(pod.metadata.uid, volumeName, path);
        keys.push(comparableKey(SERVICE_ACCOUNT_TOKEN_KIND, ns, tokenObjectName(pod.metadata.name, pod.metadata.uid, volumeName, path), uid, ''));
      }
    }
  }
  if (accounts.length === 0) return keys;
  const users = accounts.map((a) => ({ name: serviceAccountUsername(a.namespace, a.name), groups: [...serviceAccountGroups(a.namespace), 'system:authenticated'] }));
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const list = async (path: string): Promise<Array<Obj & Meta>> => {
    const got = await api('GET', path);
    if (got.status !== 200) throw new Error(`GET ${path}: ${got.status} ${got.body}`);
    return got.json<{ items: Array<Obj & Meta> }>().items;
  };
  const roles = new Map<string, string>();
  const addRole = async (kind: 'Role' | 'ClusterRole', namespace: string | undefined, name: string): Promise<void> => {
    const path = namespace === undefined ? `${rbac}/clusterroles/${name}` : `${rbac}/namespaces/${namespace}/roles/${name}`;
    const got = await api('GET', path);
    if (got.status !== 200) return;
    const m = got.json<Meta>().metadata;
    roles.set(`${kind} ${namespace ?? ''}/${name}`, rowKey(kind, m.namespace ?? '', m.name, m.uid, m.resourceVersion));
  };
  const namespaces = new Set(accounts.map((a) => a.namespace));
  const bindings = [
    ...(await list(`${rbac}/clusterrolebindings`)).map((b) => ({ kind: 'ClusterRoleBinding', object: b })),
    ...(await list(`${rbac}/rolebindings`)).filter((b) => namespaces.has(b.metadata.namespace ?? '')).map((b) => ({ kind: 'RoleBinding', object: b })),
  ];
  for (const { kind, object } of bindings) {
    const binding = readBinding(object);
    if (binding === undefined || !binding.subjects.some((subject) => users.some((user) => subjectMatches(subject, user, binding.namespace)))) continue;
    keys.push(rowKey(kind, object.metadata.namespace ?? '', object.metadata.name, object.metadata.uid, object.metadata.resourceVersion));
    if (binding.roleRef.kind === 'ClusterRole') await addRole('ClusterRole', undefined, binding.roleRef.name);
    else if (binding.roleRef.kind === 'Role' && binding.namespace !== undefined) await addRole('Role', binding.namespace, binding.roleRef.name);
  }
  return [...keys, ...roles.values()];
}
