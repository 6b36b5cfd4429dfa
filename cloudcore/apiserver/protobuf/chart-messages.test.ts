import { describe, expect, it } from 'vitest';
import { builtinSchema, findUnknownFields } from '../schema/index.js';
import { decodeProtobufBody } from './index.js';
import { envelope, type TestField } from './test-helpers.js';

/** The chart kinds' generator bodies, written field by field as kubectl 1.32 writes them. */
function decode(apiVersion: string, kind: string, fields: TestField[]): Record<string, unknown> {
  const result = decodeProtobufBody(envelope(apiVersion, kind, fields));
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

function expectKnownFields(group: string, version: string, obj: Record<string, unknown>): void {
  const schema = builtinSchema(group, version, String(obj.kind));
  expect(schema).toBeDefined();
  if (schema !== undefined) expect(findUnknownFields(schema, obj)).toEqual([]);
}

const meta = (name: string): TestField => ({ field: 1, message: [{ field: 1, string: name }] });

describe('chart kinds in protobuf', () => {
  it('an Ingress rule carries its http value inline, beside host', () => {
    const backend: TestField[] = [{ field: 4, message: [{ field: 1, string: 'svc1' }, { field: 2, message: [{ field: 2, varint: 8080 }] }] }];
    const path: TestField[] = [{ field: 1, string: '/bar' }, { field: 2, message: backend }, { field: 3, string: 'Prefix' }];
    const rule: TestField[] = [{ field: 1, string: 'foo.example.com' }, { field: 2, message: [{ field: 1, message: [{ field: 1, message: path }] }] }];
    const ing = decode('networking.k8s.io/v1', 'Ingress', [
      meta('web'),
      { field: 2, message: [{ field: 2, message: [{ field: 1, string: 'foo.example.com' }, { field: 2, string: 'tls' }] }, { field: 3, message: rule }, { field: 4, string: 'nginx' }] },
      { field: 3, message: [{ field: 1, message: [] }] },
    ]);
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['foo.example.com'], secretName: 'tls' }],
      rules: [{ host: 'foo.example.com', http: { paths: [{ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }],
    });
    expectKnownFields('networking.k8s.io', 'v1', ing);
  });

  it('a PriorityClass keeps a value of 0', () => {
    const pc = decode('scheduling.k8s.io/v1', 'PriorityClass', [meta('zero'), { field: 2, varint: 0 }, { field: 5, string: 'Never' }]);
    expect(pc).toEqual({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'zero' }, value: 0, preemptionPolicy: 'Never' });
  });

  it('a ResourceQuota and an autoscaling/v1 HPA', () => {
    const quantity = (name: string, value: string): TestField => ({ field: 1, message: [{ field: 1, string: name }, { field: 2, message: [{ field: 1, string: value }] }] });
    const quota = decode('v1', 'ResourceQuota', [meta('q'), { field: 2, message: [quantity('cpu', '1'), quantity('pods', '5'), { field: 2, string: 'BestEffort' }] }]);
    expect(quota.spec).toEqual({ hard: { cpu: '1', pods: '5' }, scopes: ['BestEffort'] });
    expectKnownFields('', 'v1', quota);
    const hpa = decode('autoscaling/v1', 'HorizontalPodAutoscaler', [
      meta('web'),
      { field: 2, message: [{ field: 1, message: [{ field: 1, string: 'Deployment' }, { field: 2, string: 'web' }, { field: 3, string: 'apps/v1' }] }, { field: 2, varint: 2 }, { field: 3, varint: 5 }, { field: 4, varint: 60 }] },
    ]);
    expect(hpa.spec).toEqual({ scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 60 });
    expectKnownFields('autoscaling', 'v1', hpa);
  });
});
