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

function setup() {
  const informers = {
    pods: informer('pods'),
    nodes: informer('nodes'),
    configmaps: informer('configmaps'),
    secrets: informer('secrets'),
    serviceaccounts: informer('serviceaccounts'),
    devices: informer('devices', 'devices.kubeedge.io'),
    devicemodels: informer('devicemodels', 'devices.kubeedge.io'),
  };
  const index = new NodeObjectIndex(informers);
  for (const i of Object.values(informers)) i.replaceAll([], 1);
  let revision = 10;
  const put = (resource: keyof typeof informers, object: KubeObject, type: ObjectEvent['type'] = 'ADDED'): KubeObject => {
    revision++;
    const versioned = { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
    informers[resource].apply({ type, object: versioned, previous: undefined, revision, objectJson: () => JSON.stringify(versioned) });
    return versioned;
  };
  /** What a session of each kind on a node sees: one whose edge said 1.4, one that said 1.3. */
  const watch = (node: string) => {
    const seen = { v14: [] as string[], v13: [] as string[] };
    const record = (into: string[]) => (change: NodeChange) => into.push(`${JSON.parse(change.frame()).content.kind as string}:${change.uid}:${change.resourceVersion}`);
    index.subscribe(node, record(seen.v14), { devices: true });
    index.subscribe(node, record(seen.v13), { devices: false });
    return seen;
  };
  return { index, put, watch };
}

const model = (name: string): KubeObject => ({ apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name, namespace: 'default', uid: `m-${name}` }, spec: { properties: [{ name: 'temperature', type: 'INT' }] } });
const secret = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', uid: `s-${name}` }, type: 'outpost.io/mqtt-credentials', data: { username: 'dQ==', password: 'cA==' } });
const device = (name: string, node: string, options: { model?: string; secret?: string } = {}): KubeObject => ({
  apiVersion: 'devices.kubeedge.io/v1beta1',
  kind: 'Device',
  metadata: { name, namespace: 'default', uid: `d-${name}`, ...(options.secret ? { annotations: { 'devices.outpost.io/mqtt-secret': options.secret } } : {}) },
  spec: { nodeName: node, deviceModelRef: { name: options.model ?? 'thermo' }, properties: [{ name: 'temperature', desired: { value: '20' } }] },
});

describe('NodeObjectIndex: devices (protocol.md R39)', () => {
  it('a Device bound to a node brings its model and its default credentials secret, to 1.4 sessions only', () => {
    const { index, put, watch } = setup();
    const seen = watch('n1');
    const m = put('devicemodels', model('thermo'));
    const s = put('secrets', secret('t1-mqtt'));
    const d = put('devices', device('t1', 'n1'));
    expect(seen.v14).toEqual([`upsert:d-t1:${d.metadata.resourceVersion}`, `upsert:m-thermo:${m.metadata.resourceVersion}`, `upsert:s-t1-mqtt:${s.metadata.resourceVersion}`]);
    expect(seen.v13).toEqual([]);
    expect([...index.desiredOf('n1', { devices: true })].map((c) => c.uid).sort()).toEqual(['d-t1', 'm-thermo', 's-t1-mqtt']);
    expect([...index.desiredOf('n1', { devices: false })]).toEqual([]);
    expect(index.lookupDevice('default', 't1')?.nodeName).toBe('n1');
    expect(index.references('n1', 'devicemodels', 'default', 'thermo')).toBe(true);
    expect(index.references('n1', 'secrets', 'default', 't1-mqtt')).toBe(true);
  });

  it('a moved Device is deleted from its old node at the move revision, with what only it needed there', () => {
    const { index, put, watch } = setup();
    const old = watch('n1');
    const next = watch('n2');
    put('devicemodels', model('thermo'));
    put('secrets', secret('t1-mqtt'));
    const first = put('devices', device('t1', 'n1'));
    const moved = put('devices', device('t1', 'n2'), 'MODIFIED');
    const rv = moved.metadata.resourceVersion;
    expect(old.v14.slice(3)).toEqual([`delete:d-t1:${rv}`, `delete:m-thermo:${rv}`, `delete:s-t1-mqtt:${rv}`]);
    expect(rv).not.toBe(first.metadata.resourceVersion);
    expect(next.v14.map((x) => x.split(':').slice(0, 2).join(':'))).toEqual(['upsert:d-t1', 'upsert:m-thermo', 'upsert:s-t1-mqtt']);
    expect(index.references('n1', 'devicemodels', 'default', 'thermo')).toBe(false);
    expect(index.lookupDevice('default', 't1')?.nodeName).toBe('n2');
  });

  it('counts references: a shared model and a shared (annotated) secret leave with the last Device', () => {
    const { index, put, watch } = setup();
    const seen = watch('n1');
    put('devicemodels', model('thermo'));
    put('secrets', secret('shared'));
    put('secrets', secret('a-mqtt'));
    put('devices', device('a', 'n1', { secret: 'shared' }));
    put('devices', device('b', 'n1', { secret: 'shared' }));
    expect(seen.v14.filter((x) => x.includes('m-thermo') || x.includes('s-shared')).map((x) => x.split(':')[0])).toEqual(['upsert', 'upsert']);
    expect(seen.v14.some((x) => x.includes('s-a-mqtt'))).toBe(false);
    put('devices', device('a', 'n1', { secret: 'shared' }), 'DELETED');
    expect(seen.v14.at(-1)).toMatch(/^delete:d-a:/);
    expect(index.references('n1', 'secrets', 'default', 'shared')).toBe(true);
    const gone = put('devices', device('b', 'n1', { secret: 'shared' }), 'DELETED');
    expect(seen.v14.slice(-3)).toEqual([`delete:d-b:${gone.metadata.resourceVersion}`, `delete:m-thermo:${gone.metadata.resourceVersion}`, `delete:s-shared:${gone.metadata.resourceVersion}`]);
    expect(seen.v13).toEqual([]);
  });

  it('a secret both a pod and a Device reference reaches a 1.3 session only while the pod needs it', () => {
    const { put, watch } = setup();
    const seen = watch('n1');
    put('secrets', secret('both'));
    put('devicemodels', model('thermo'));
    put('devices', device('d', 'n1', { secret: 'both' }));
    expect(seen.v13).toEqual([]);
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'p-p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }], imagePullSecrets: [{ name: 'both' }] } };
    put('pods', pod);
    expect(seen.v13.map((x) => x.split(':').slice(0, 2).join(':'))).toEqual(['upsert:p-p', 'upsert:s-both']);
    // The 1.4 session already had it from the Device: no second upsert.
    expect(seen.v14.filter((x) => x.startsWith('upsert:s-both'))).toHaveLength(1);
    put('pods', pod, 'DELETED');
    expect(seen.v13.at(-1)).toMatch(/^delete:s-both:/);
    expect(seen.v14.some((x) => x.startsWith('delete:s-both'))).toBe(false);
    put('devices', device('d', 'n1', { secret: 'both' }), 'DELETED');
    expect(seen.v14.some((x) => x.startsWith('delete:s-both'))).toBe(true);
  });

  it('a model or secret created after the Device follows it, and changes reach 1.4 sessions only', () => {
    const { put, watch } = setup();
    const seen = watch('n1');
    put('devices', device('t1', 'n1'));
    put('devicemodels', model('thermo'));
    const s = put('secrets', secret('t1-mqtt'));
    const rotated = put('secrets', { ...secret('t1-mqtt'), data: { username: 'dQ==', password: 'bmV3' } }, 'MODIFIED');
    expect(seen.v14.map((x) => x.split(':').slice(0, 2).join(':'))).toEqual(['upsert:d-t1', 'upsert:m-thermo', 'upsert:s-t1-mqtt', 'upsert:s-t1-mqtt']);
    expect(seen.v14.at(-1)).toBe(`upsert:s-t1-mqtt:${rotated.metadata.resourceVersion}`);
    expect(s.metadata.resourceVersion).not.toBe(rotated.metadata.resourceVersion);
    expect(seen.v13).toEqual([]);
  });

  it('a Device without a node is bound nowhere', () => {
    const { index, put, watch } = setup();
    const seen = watch('n1');
    put('devices', device('loose', ''));
    expect(index.lookupDevice('default', 'loose')).toBeUndefined();
    expect(seen.v14).toEqual([]);
  });
});
