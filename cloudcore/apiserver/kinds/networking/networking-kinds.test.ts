import { describe, expect, it } from 'vitest';
import { create, messages } from '../common/test-helpers.js';
import { ingressClassesResource } from './ingress-classes.js';
import { ingressesResource } from './ingresses.js';
import { networkPoliciesResource } from './network-policies.js';

const now = new Date('2025-01-01T00:10:00Z');
const backend = { service: { name: 'web', port: { number: 80 } } };

function ingress(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec };
}

describe('ingresses', () => {
  const ingresses = ingressesResource();

  it('accepts rules with a path type, and prints class, hosts, address and ports', () => {
    const { obj, errors } = create(ingresses, ingress({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['a.example.com'] }],
      rules: ['a', 'b', 'c', 'd'].map((h) => ({ host: `${h}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } })),
    }));
    expect(errors).toEqual([]);
    expect(obj.status).toEqual({});
    obj.status = { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } };
    expect(ingresses.table.cells(obj, now)).toEqual(['web', 'nginx', 'a.example.com,b.example.com,c.example.com + 1 more...', '10.0.0.1', '80, 443', '10m']);
  });

  it('gives Kubernetes field paths and messages', () => {
    expect(create(ingresses, ingress({})).errors).toEqual(['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']);
    const { errors } = create(ingresses, ingress({
      rules: [
        { host: '10.0.0.1', http: { paths: [{ path: 'api', pathType: 'Exact', backend }, { path: '/', backend: { service: { name: 'web' } } }] } },
        { host: '*.example.com', http: { paths: [{ path: '/x', pathType: 'Regex', backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }] } },
      ],
    }));
    expect(errors).toEqual([
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
      'spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified',
      'spec.rules[0].http.paths[1].backend: Required value: port name or number is required',
      'spec.rules[1].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      'spec.rules[1].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
    ]);
  });
});

describe('ingress classes', () => {
  const classes = ingressClassesResource();
  const ic = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec });

  it('defaults the parameters scope and keeps the controller fixed', () => {
    const { obj, errors } = create(classes, ic({ controller: 'k8s.io/ingress-nginx', parameters: { kind: 'Config', name: 'c' } }));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({ controller: 'k8s.io/ingress-nginx', parameters: { kind: 'Config', name: 'c', scope: 'Cluster' } });
    expect(classes.table.cells(obj, now)).toEqual(['nginx', 'k8s.io/ingress-nginx', 'Config/c', '10m']);
    const changed = { ...obj, spec: { controller: 'example.com/other' } };
    expect(messages(classes.validateUpdate(changed, obj))).toEqual(['spec.controller: Invalid value: "example.com/other": field is immutable']);
    expect(create(classes, ic({ controller: 'nginx' })).errors).toEqual(['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  });
});

describe('network policies', () => {
  const policies = networkPoliciesResource();
  const np = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' }, spec });

  it('defaults policyTypes from the rules and port protocols to TCP', () => {
    const { obj, errors } = create(policies, np({ egress: [{ ports: [{ port: 53 }] }] }));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({ podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] });
    expect(policies.table.cells(obj, now)).toEqual(['deny', '<none>', '10m']);
    expect(create(policies, np({ podSelector: {} })).obj.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  it('validates peers, ports and policy types', () => {
    const { errors } = create(policies, np({
      ingress: [{ from: [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }], ports: [{ port: 70000, protocol: 'ICMP' }] }],
      policyTypes: ['Ingress', 'Sideways'],
    }));
    expect(errors).toEqual([
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ingress[0].from[0]: Required value: must specify a peer',
      'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
      'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
    ]);
  });
});
