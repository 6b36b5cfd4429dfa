import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { ObjectStore } from '../apiserver/index.js';
import type { AuthorizationAttributes } from '../apiserver/auth/authorize.js';
import { createMemoryStore } from '../storage/index.js';
import { SharedInformer } from '../informers/index.js';
import { NodeObjectIndex } from './node-object-index.js';
import { createNodeAuthorizer } from './node-authorizer.js';

const objects = new ObjectStore(createMemoryStore());
const informer = (resource: string, group = '') => new SharedInformer({ group, resource, namespaced: resource !== 'nodes' }, objects, silentLogger());

function setup() {
  const informers = {
    pods: informer('pods'), nodes: informer('nodes'), configmaps: informer('configmaps'), secrets: informer('secrets'), serviceaccounts: informer('serviceaccounts'),
    devices: informer('devices', 'devices.kubeedge.io'), devicemodels: informer('devicemodels', 'devices.kubeedge.io'),
  };
  const index = new NodeObjectIndex(informers);
  for (const i of Object.values(informers)) i.replaceAll([], 1);
  let revision = 10;
  const put = (resource: keyof typeof informers, object: KubeObject): void => {
    revision++;
    const versioned = { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
    informers[resource].apply({ type: 'ADDED', object: versioned, previous: undefined, revision, objectJson: () => JSON.stringify(versioned) });
  };
  const authorize = createNodeAuthorizer(index, (name) => name === 'n1' || name === 'n2', () => ({ allowed: false, reason: 'next' }));
  const asNode = (node: string, group: string, resource: string, name: string): boolean =>
    authorize({
      user: { name: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] },
      verb: 'get', isResource: true, group, resource, subresource: undefined, namespace: 'default', name, path: '',
    } as AuthorizationAttributes).allowed;
  return { put, asNode };
}

describe('node authorizer: devices (protocol.md R39)', () => {
  it('a node may get its own Devices, their models and credentials secrets, nothing of another node\'s', () => {
    const { put, asNode } = setup();
    put('devices', { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: { name: 't1', namespace: 'default', uid: 'd1' }, spec: { nodeName: 'n1', deviceModelRef: { name: 'thermo' } } });
    expect(asNode('n1', 'devices.kubeedge.io', 'devices', 't1')).toBe(true);
    expect(asNode('n1', 'devices.kubeedge.io', 'devicemodels', 'thermo')).toBe(true);
    expect(asNode('n1', '', 'secrets', 't1-mqtt')).toBe(true);
    expect(asNode('n2', 'devices.kubeedge.io', 'devices', 't1')).toBe(false);
    expect(asNode('n2', 'devices.kubeedge.io', 'devicemodels', 'thermo')).toBe(false);
    expect(asNode('n2', '', 'secrets', 't1-mqtt')).toBe(false);
    expect(asNode('n1', 'devices.kubeedge.io', 'devicestatuses', 't1')).toBe(false);
  });
});
