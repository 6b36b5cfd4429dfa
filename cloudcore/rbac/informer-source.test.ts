import { describe, expect, it } from 'vitest';
import { authorizeRbac } from '../../shared/rbac/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { silentLogger } from '../../shared/logging.js';
import { ObjectStore } from '../apiserver/index.js';
import { SharedInformerFactory } from '../informers/index.js';
import { createMemoryStore } from '../storage/index.js';
import { informerRbacSource, rbacInformers } from './informer-source.js';

const GROUP = 'rbac.authorization.k8s.io';
let revision = 0;
const event = (type: 'ADDED' | 'DELETED', object: KubeObject) => ({ type, object, previous: undefined, revision: ++revision, objectJson: () => JSON.stringify(object) });

describe('the informer-fed RbacSource', () => {
  it('follows roles and bindings as the informers see them, RoleBindings by namespace', () => {
    const caches = rbacInformers(new SharedInformerFactory(new ObjectStore(createMemoryStore()), silentLogger()));
    const source = informerRbacSource(caches);
    caches.clusterRoles.apply(event('ADDED', { apiVersion: `${GROUP}/v1`, kind: 'ClusterRole', metadata: { name: 'edit' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }));
    const binding: KubeObject = {
      apiVersion: `${GROUP}/v1`, kind: 'RoleBinding', metadata: { name: 'devs-edit', namespace: 'dev' },
      roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'edit' }, subjects: [{ apiGroup: GROUP, kind: 'Group', name: 'devs' }],
    };
    caches.roleBindings.apply(event('ADDED', binding));
    const ask = (namespace: string) =>
      authorizeRbac(source, { user: { name: 'ann', groups: ['devs'] }, verb: 'get', isResource: true, group: '', resource: 'pods', subresource: undefined, namespace, name: undefined, path: '' }).allowed;
    expect(ask('dev')).toBe(true);
    expect(ask('prod')).toBe(false);
    expect([...source.roleBindings('dev')].map((b) => b.name)).toEqual(['devs-edit']);
    caches.roleBindings.apply(event('DELETED', binding));
    expect(ask('dev')).toBe(false);
    expect([...source.roleBindings('dev')]).toEqual([]);
  });
});
