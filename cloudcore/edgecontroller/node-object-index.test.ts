import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { ObjectStore, type ObjectEvent } from '../apiserver/index.js';
import { createMemoryStore } from '../storage/index.js';
import { SharedInformer } from '../informers/index.js';
import type { NodeChange } from './downstream-frames.js';
import { NodeObjectIndex } from './node-object-index.js';

const objects = new ObjectStore(createMemoryStore());
const informer = (resource: string, group = '') => new SharedInformer({ group, resource, namespaced: resource !== 'nodes' }, objects, silentLogger());
const edgeInformers = () => ({
  pods: informer('pods'),
  nodes: informer('nodes'),
  configmaps: informer('configmaps'),
  secrets: informer('secrets'),
  serviceaccounts: informer('serviceaccounts'),
  devices: informer('devices', 'devices.kubeedge.io'),
  devicemodels: informer('devicemodels', 'devices.kubeedge.io'),
});

function setup() {
  const informers = edgeInformers();
  const index = new NodeObjectIndex(informers);
  for (const i of Object.values(informers)) i.replaceAll([], 1);
  let revision = 10;
  const put = (resource: keyof typeof informers, object: KubeObject, type: ObjectEvent['type'] = 'ADDED'): KubeObject => {
    revision++;
    const versioned = { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
    informers[resource].apply({ type, object: versioned, previous: undefined, revision, objectJson: () => JSON.stringify(versioned) });
    return versioned;
  };
  const seen: Array<{ op: string; uid: string; rv: string }> = [];
  index.subscribe('n1', (change: NodeChange) => seen.push({ op: JSON.parse(change.frame()).content.kind as string, uid: change.uid, rv: change.resourceVersion }));
  return { index, put, seen };
}

const cm = (name: string, uid = `cm-${name}`): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid }, data: { k: 'v' } });
const secret = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', uid: `s-${name}` }, data: { k: 'dg==' } });
const pod = (name: string, node: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `p-${name}` }, spec: { nodeName: node, containers: [{ name: 'c', image: 'i' }], ...spec },
});

describe('NodeObjectIndex: what each node needs', () => {
  it('sends a referenced configmap with the pod, and its updates; never an unreferenced secret', () => {
    const { index, put, seen } = setup();
    put('configmaps', cm('conf'));
    put('secrets', secret('unused'));
    put('pods', pod('web', 'n1', { volumes: [{ name: 'v', configMap: { name: 'conf' } }] }));
    expect(seen.map((s) => `${s.op}:${s.uid}`)).toEqual(['upsert:p-web', 'upsert:cm-conf']);
    const updated = put('configmaps', { ...cm('conf'), data: { k: 'new' } }, 'MODIFIED');
    expect(seen.at(-1)).toEqual({ op: 'upsert', uid: 'cm-conf', rv: updated.metadata.resourceVersion });
    expect([...index.desiredOf('n1')].map((c) => c.uid).sort()).toEqual(['cm-conf', 'p-web']);
    expect(seen.some((s) => s.uid === 's-unused')).toBe(false);
  });

  it('counts references: the secret leaves the node with the last pod that needs it, at a distinct version', () => {
    const { index, put, seen } = setup();
    const s = put('secrets', secret('db'));
    const env = { containers: [{ name: 'c', image: 'i', envFrom: [{ secretRef: { name: 'db' } }] }] };
    put('pods', pod('a', 'n1', env));
    put('pods', pod('b', 'n1', { imagePullSecrets: [{ name: 'db' }] }));
    expect(seen.filter((x) => x.uid === 's-db').map((x) => x.op)).toEqual(['upsert']);
    put('pods', pod('a', 'n1', env), 'DELETED');
    expect(index.references('n1', 'secrets', 'default', 'db')).toBe(true);
    const deleted = put('pods', pod('b', 'n1', {}), 'DELETED');
    const last = seen.at(-1);
    expect(last).toEqual({ op: 'delete', uid: 's-db', rv: deleted.metadata.resourceVersion });
    expect(last?.rv).not.toBe(s.metadata.resourceVersion);
    expect(index.references('n1', 'secrets', 'default', 'db')).toBe(false);
  });

  it('a referenced object created after the pod follows it; its deletion is sent', () => {
    const { put, seen } = setup();
    put('pods', pod('late', 'n1', { containers: [{ name: 'c', image: 'i', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'later', key: 'k' } } }] }] }));
    put('configmaps', cm('later'));
    put('configmaps', cm('later'), 'DELETED');
    expect(seen.map((s) => `${s.op}:${s.uid}`)).toEqual(['upsert:p-late', 'upsert:cm-later', 'delete:cm-later']);
  });

  it('another node\'s references never reach n1; the node gets its own Node object', () => {
    const { index, put, seen } = setup();
    put('secrets', secret('theirs'));
    put('pods', pod('x', 'n2', { volumes: [{ name: 'v', secret: { secretName: 'theirs' } }] }));
    put('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'node-n1' } });
    put('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2', uid: 'node-n2' } });
    expect(seen.map((s) => s.uid)).toEqual(['node-n1']);
    expect([...index.desiredOf('n1')].map((c) => c.uid)).toEqual(['node-n1']);
    expect(index.references('n2', 'secrets', 'default', 'theirs')).toBe(true);
  });

  it('a relist folds missed changes into ordinary events', () => {
    const informers = edgeInformers();
    const index = new NodeObjectIndex(informers);
    const kept = { ...cm('kept'), metadata: { ...cm('kept').metadata, resourceVersion: '5' } };
    informers.configmaps.replaceAll([kept, { ...cm('gone'), metadata: { ...cm('gone').metadata, resourceVersion: '6' } }], 6);
    const p = { ...pod('p', 'n1', { volumes: [{ name: 'a', configMap: { name: 'kept' } }, { name: 'b', configMap: { name: 'gone' } }] }), metadata: { ...pod('p', 'n1', {}).metadata, resourceVersion: '7' } };
    informers.pods.replaceAll([p], 7);
    const seen: string[] = [];
    index.subscribe('n1', (c) => seen.push(`${JSON.parse(c.frame()).content.kind as string}:${c.uid}:${c.resourceVersion}`));
    informers.configmaps.replaceAll([kept], 20);
    expect(seen).toEqual(['delete:cm-gone:20']);
  });
});
