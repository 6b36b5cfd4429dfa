import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { create, messages } from '../common/test-helpers.js';
import { configMapsResource } from './configmaps.js';
import { eventsResource } from './events.js';
import { namespacesResource } from './namespaces.js';
import { nodesResource } from './nodes.js';
import { secretsResource } from './secrets.js';
import { servicesResource } from './services.js';

const now = new Date('2025-01-03T00:00:00Z');

describe('services', () => {
  const services = servicesResource();
  const svc = (spec: Record<string, unknown>, name = 'web'): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec,
  });

  it('defaults like a real API server (cluster IP left to the allocator)', () => {
    const { obj, errors } = create(services, svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      internalTrafficPolicy: 'Cluster',
    });
    expect(obj.status).toEqual({ loadBalancer: {} });
  });

  it('validates ports, names and types', () => {
    expect(create(services, svc({ selector: { app: 'web' } })).errors).toEqual(['spec.ports: Required value']);
    expect(create(services, svc({ clusterIP: 'None' })).errors).toEqual([]);
    expect(
      create(services, svc({ type: 'Fancy', ports: [{ port: 80 }, { port: 0, name: 'b' }, { name: 'b', port: 81, protocol: 'ICMP' }] })).errors,
    ).toEqual([
      'spec.ports[0].name: Required value',
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      // The target port defaults to the (bad) port, so Kubernetes reports it too.
      'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[2].name: Duplicate value: "b"',
      'spec.ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.type: Unsupported value: "Fancy": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    expect(create(services, svc({ ports: [{ port: 80 }] }, '1web')).errors[0]).toMatch(/^metadata.name: Invalid value: "1web": a DNS-1035 label/);
  });

  it('prints the service table', () => {
    const { obj } = create(services, svc({ selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, name: 'https', nodePort: 30443 }], type: 'NodePort' }));
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
    (obj.spec as Record<string, unknown>).clusterIPs = ['10.43.0.10'];
    expect(services.table.cells(obj, now)).toEqual(['web', 'NodePort', '10.43.0.10', '<none>', '80/TCP,443:30443/TCP', '2d', 'app=web']);
    const lb = create(services, svc({ ports: [{ port: 80 }], type: 'LoadBalancer' })).obj;
    expect(services.table.cells(lb, now)[3]).toBe('<pending>');
  });
});

describe('secrets and configmaps', () => {
  const secrets = secretsResource();
  const configMaps = configMapsResource();

  it('merges stringData into base64 data and defaults the type', () => {
    const { obj, errors } = create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      data: { a: Buffer.from('old').toString('base64'), b: 'Yg==' },
      stringData: { a: 'new' },
    });
    expect(errors).toEqual([]);
    expect(obj.type).toBe('Opaque');
    expect(obj.stringData).toBeUndefined();
    expect(obj.data).toEqual({ a: Buffer.from('new').toString('base64'), b: 'Yg==' });
    expect(secrets.table.cells(obj, now).slice(0, 3)).toEqual(['s', 'Opaque', 2]);
    expect(secrets.selectableFields(obj)).toEqual({ type: 'Opaque' });
  });

  it('rejects bad keys, bad base64 and missing TLS keys', () => {
    const { errors } = create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: { 'bad/key': 'YQ==', 'tls.crt': 'no!' },
    });
    expect(errors).toEqual([
      expect.stringMatching(/^data\[bad\/key\]: Invalid value: "bad\/key": a valid config key must consist of alphanumeric characters/),
      'data[tls.crt]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 2',
      'data[tls.key]: Required value',
    ]);
  });

  it('keeps immutable data immutable and the type fixed', () => {
    const { obj: old } = create(secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'd' }, data: { a: 'YQ==' }, immutable: true });
    const next = structuredClone(old);
    next.data = { a: 'Yg==' };
    next.type = 'Other';
    expect(messages(secrets.validateUpdate(next, old))).toEqual([
      'type: Invalid value: "Other": field is immutable',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('validates configmap keys and size', () => {
    const cm = (data: Record<string, string>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, data });
    expect(create(configMaps, cm({ 'a.b': '1', c: '2' })).errors).toEqual([]);
    expect(create(configMaps, cm({ 'a b': '1' })).errors[0]).toMatch(/^data\[a b\]: Invalid value: "a b": a valid config key/);
    expect(create(configMaps, cm({ big: 'x'.repeat(1024 * 1024 + 1) })).errors).toEqual([': Too long: may not be more than 1048576 bytes']);
    const { obj } = create(configMaps, cm({ a: '1', b: '2' }));
    expect(configMaps.table.cells(obj, now).slice(0, 2)).toEqual(['c', 2]);
  });
});

describe('namespaces', () => {
  const namespaces = namespacesResource();

  it('starts Active with the kubernetes finalizer and the name label', () => {
    const { obj, errors } = create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(obj.status).toEqual({ phase: 'Active' });
    expect(obj.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(namespaces.table.cells(obj, now)).toEqual(['team-a', 'Active', '2d']);
  });

  it('requires a DNS-1123 label name', () => {
    expect(create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }).errors[0]).toMatch(
      /^metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist/,
    );
  });
});

describe('nodes', () => {
  const nodes = nodesResource();
  const node = (ready: string | undefined, extra: Partial<KubeObject> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'edge-1', creationTimestamp: '2025-01-02T21:00:00Z', labels: { 'node-role.kubernetes.io/edge': '', 'node-role.kubernetes.io/agent': 'true' } },
    spec: {},
    status: {
      conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready }],
      addresses: [{ type: 'InternalIP', address: '192.168.1.5' }],
      nodeInfo: { kubeletVersion: 'v1.32.0-outpost', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
    },
    ...extra,
  });

  it('prints ready, not ready, unknown and cordoned nodes', () => {
    expect(nodes.table.cells(node('True'), now)).toEqual([
      'edge-1',
      'Ready',
      'agent,edge',
      '3h',
      'v1.32.0-outpost',
      '192.168.1.5',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.1.0',
      'containerd://1.7.0',
    ]);
    expect(nodes.table.cells(node('Unknown'), now)[1]).toBe('NotReady');
    expect(nodes.table.cells(node(undefined), now)[1]).toBe('Unknown');
    const cordoned = node('True', { spec: { unschedulable: true } });
    expect(nodes.table.cells(cordoned, now)[1]).toBe('Ready,SchedulingDisabled');
    expect(nodes.selectableFields(cordoned)).toEqual({ 'spec.unschedulable': 'true' });
  });

  it('validates taints', () => {
    const bad = node('True', { spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } });
    expect(messages(nodes.validateCreate(bad))).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
});

describe('events', () => {
  const events = eventsResource();
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled',
    message: 'Pulled image\n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'edge-1' },
    firstTimestamp: '2025-01-02T23:50:00Z',
    lastTimestamp: '2025-01-02T23:58:00Z',
    count: 3,
  };

  it('prints LAST SEEN TYPE REASON OBJECT MESSAGE (+ wide)', () => {
    expect(events.table.columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(events.table.cells(event, now)).toEqual(['2m', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, edge-1', 'Pulled image', '10m', 3, 'web.1']);
  });

  it('selects by involved object and checks the namespace', () => {
    expect(events.selectableFields(event)).toMatchObject({ 'involvedObject.name': 'web', 'involvedObject.kind': 'Pod', source: 'kubelet', type: 'Normal' });
    const mismatched = { ...event, involvedObject: { kind: 'Pod', namespace: 'other', name: 'web' } };
    expect(messages(events.validateCreate(mismatched))).toEqual(['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  });
});
