import { describe, expect, it } from 'vitest';
import { create } from '../common/test-helpers.js';
import { endpointsResource } from '../core/endpoints.js';
import { replicationControllersResource } from '../core/replicationcontrollers.js';
import { endpointSlicesResource } from '../discovery/endpointslices.js';
import { podDisruptionBudgetsResource } from './poddisruptionbudgets.js';

const now = new Date('2025-01-03T00:00:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' };

describe('poddisruptionbudgets', () => {
  const pdbs = podDisruptionBudgetsResource();
  const pdb = (spec: Record<string, unknown>) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta, spec });

  it('start with an empty status at generation 1, and print as kubectl does', () => {
    const { obj, errors } = create(pdbs, { ...pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } }), status: { disruptionsAllowed: 5 } });
    expect(errors).toEqual([]);
    expect(obj.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    expect(pdbs.tracksGeneration).toBe(true);
    expect(pdbs.table.cells(obj, now)).toEqual(['web', '2', 'N/A', 0, '2d']);
    expect(pdbs.table.columns.map((c) => c.name)).toEqual(['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
  });

  it('refuse both bounds, bad percentages and unknown eviction policies with Kubernetes\' messages', () => {
    expect(create(pdbs, pdb({ minAvailable: 1, maxUnavailable: 1 })).errors).toEqual([expect.stringMatching(/^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/)]);
    expect(create(pdbs, pdb({ minAvailable: '150%' })).errors).toEqual(['spec.minAvailable: Invalid value: "150%": must not be greater than 100%']);
    expect(create(pdbs, pdb({ maxUnavailable: -1 })).errors).toEqual(['spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0']);
    expect(create(pdbs, pdb({ maxUnavailable: 'half' })).errors).toEqual(['spec.maxUnavailable: Invalid value: "half": must be an integer or percentage (e.g \'5%\')']);
    expect(create(pdbs, pdb({ unhealthyPodEvictionPolicy: 'Never' })).errors).toEqual(['spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"']);
  });
});

describe('endpoints and endpointslices', () => {
  it('Endpoints: ports default to TCP; loopback and empty subsets refused; ENDPOINTS shows ip:port', () => {
    const endpoints = endpointsResource();
    const good = create(endpoints, { apiVersion: 'v1', kind: 'Endpoints', metadata: meta, subsets: [{ addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }, { ip: '10.42.0.7' }, { ip: '10.42.0.8' }], ports: [{ port: 80 }] }] });
    expect(good.errors).toEqual([]);
    expect(good.obj.subsets).toEqual([{ addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }, { ip: '10.42.0.7' }, { ip: '10.42.0.8' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(endpoints.table.cells(good.obj, now)[1]).toBe('10.42.0.5:80,10.42.0.6:80,10.42.0.7:80 + 1 more...');
    expect(create(endpoints, { apiVersion: 'v1', kind: 'Endpoints', metadata: meta, subsets: [{ addresses: [{ ip: '127.0.0.1' }] }, {}] }).errors).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
    ]);
    expect(endpoints.table.cells(create(endpoints, { apiVersion: 'v1', kind: 'Endpoints', metadata: meta }).obj, now)[1]).toBe('<none>');
  });

  it('EndpointSlice: addressType required and immutable; addresses checked against it; the table as kubectl prints it', () => {
    const slices = endpointSlicesResource();
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta, addressType: 'IPv4', endpoints: [{ addresses: ['10.42.0.5'] }], ports: [{ port: 80 }] };
    const { obj, errors } = create(slices, slice);
    expect(errors).toEqual([]);
    expect(obj.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    expect(slices.table.cells(obj, now)).toEqual(['web', 'IPv4', '80', '10.42.0.5', '2d']);
    expect(slices.table.cells({ ...obj, endpoints: [], ports: [] }, now)).toEqual(['web', 'IPv4', '<unset>', '<unset>', '2d']);
    expect(create(slices, { ...slice, addressType: 'IPv6' }).errors).toEqual(['endpoints[0].addresses[0]: Invalid value: "10.42.0.5": must be a valid IPv6 address']);
    expect(create(slices, { ...slice, addressType: undefined }).errors).toEqual(['addressType: Required value']);
    expect(slices.validateUpdate({ ...obj, addressType: 'FQDN', endpoints: [] }, obj).map((e) => e.field)).toEqual(['addressType']);
  });
});

describe('replicationcontrollers', () => {
  it('default the selector from the template and refuse a selector the template does not match', () => {
    const rcs = replicationControllersResource();
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const { obj, errors } = create(rcs, { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta, spec: { template } });
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ replicas: 1, selector: { app: 'web' } });
    expect(rcs.table.cells(obj, now).slice(0, 4)).toEqual(['web', 1, 0, 0]);
    const bad = create(rcs, { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta, spec: { selector: { app: 'db' }, template } });
    expect(bad.errors).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']);
  });
});
