import { describe, expect, it } from 'vitest';
import { builtinSchema, findUnknownFields } from '../schema/index.js';
import { decodeProtobufBody } from './index.js';
import { envelope } from './test-helpers.js';
import { kubectlBody, type KUBECTL_BODIES } from './testdata/kubectl-bodies.js';

/** Decoding the bodies real kubectl 1.32/1.33 sends, compared with what kubectl 1.31 sends as JSON. */
function decode(name: keyof typeof KUBECTL_BODIES): Record<string, unknown> {
  const result = decodeProtobufBody(kubectlBody(name));
  if (!result.ok) throw new Error(`${name}: ${result.code}: ${result.message}`);
  return result.value;
}

/** The JSON names must be the API's: strict field validation would reject anything else. */
function expectKnownFields(obj: Record<string, unknown>): void {
  const [group, version] = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/') : ['', String(obj.apiVersion)];
  const schema = builtinSchema(group ?? '', version ?? '', String(obj.kind));
  expect(schema).toBeDefined();
  if (schema !== undefined) expect(findUnknownFields(schema, obj)).toEqual([]);
}

const nginx = { name: 'nginx', image: 'nginx:1.27', resources: {} };

describe('decodeProtobufBody on kubectl 1.32 generator bodies', () => {
  it('create namespace', () => {
    const ns = decode('namespace');
    expect(ns).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'capns' }, spec: {}, status: {} });
    expectKnownFields(ns);
  });

  it('create configmap --from-literal and --from-file', () => {
    expect(decode('configMapLiteral')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: '1', b: 'two' } });
    const fromFile = decode('configMapFile');
    expect(fromFile.data).toEqual({ 'greeting.txt': 'hello file\n' });
    expectKnownFields(fromFile);
  });

  it('create secret generic: bytes values become base64, as in JSON', () => {
    const secret = decode('secretLiteral');
    expect(secret).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { pw: 'czNjcjN0', user: 'YWRtaW4=' } });
    const fromFile = decode('secretFile');
    expect(fromFile.type).toBe('Opaque');
    expect(Buffer.from(String((fromFile.data as Record<string, string>)['greeting.txt']), 'base64').toString()).toBe('hello file\n');
    expectKnownFields(fromFile);
  });

  it('create deployment --image --replicas', () => {
    const deploy = decode('deployment');
    expect(deploy).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [nginx] } },
        strategy: {},
      },
      status: {},
    });
    expectKnownFields(deploy);
  });

  it('keeps an explicit replicas: 0 (a pointer field) and decodes container ports', () => {
    expect((decode('deploymentZero').spec as Record<string, unknown>).replicas).toBe(0);
    const spec = decode('deploymentPort').spec as { replicas: number; template: { spec: { containers: unknown[] } } };
    expect(spec.replicas).toBe(1);
    expect(spec.template.spec.containers).toEqual([{ ...nginx, ports: [{ containerPort: 80 }] }]);
  });

  it('create service clusterip --tcp=80:8080: IntOrString as a number', () => {
    const svc = decode('serviceClusterIp');
    expect(svc).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc1', labels: { app: 'svc1' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc1' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    });
    expectKnownFields(svc);
  });

  it('create service clusterip --tcp=80:http --tcp=443: IntOrString as a string, several ports', () => {
    const spec = decode('serviceNamedPort').spec as { ports: unknown[] };
    expect(spec.ports).toEqual([
      { name: '80-http', protocol: 'TCP', port: 80, targetPort: 'http' },
      { name: '443', protocol: 'TCP', port: 443, targetPort: 443 },
    ]);
  });

  it('create service nodeport --node-port', () => {
    const spec = decode('serviceNodePort').spec as { type: string; ports: { nodePort: number }[] };
    expect(spec.type).toBe('NodePort');
    expect(spec.ports[0]?.nodePort).toBe(30080);
  });

  it('create job -- command', () => {
    const job = decode('job');
    expect(job).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job1' },
      spec: {
        template: {
          metadata: {},
          spec: { containers: [{ name: 'job1', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' },
        },
      },
      status: {},
    });
    expectKnownFields(job);
  });

  it('create serviceaccount', () => {
    expect(decode('serviceAccount')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa1' } });
  });

  it('create cronjob --schedule', () => {
    const cj = decode('cronJob');
    expect(cj).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cj' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          metadata: { name: 'cj' },
          spec: { template: { metadata: {}, spec: { containers: [{ name: 'cj', image: 'busybox', resources: {} }], restartPolicy: 'OnFailure' } } },
        },
      },
      status: {},
    });
    expectKnownFields(cj);
  });

  it('names the kind when it is not one this server decodes (415)', () => {
    const result = decodeProtobufBody(envelope('apps/v1', 'StatefulSet', [{ field: 1, message: [{ field: 1, string: 'db' }] }]));
    expect(result).toMatchObject({ ok: false, code: 'UnsupportedMediaType' });
    if (!result.ok) expect(result.message).toContain('StatefulSet (apps/v1)');
  });
});

describe('decodeProtobufBody on kubectl 1.33 bodies', () => {
  it('decodes create deployment and create job the same way', () => {
    const deploy = decode('deployment133');
    expect(deploy.spec).toMatchObject({ replicas: 2, template: { spec: { containers: [nginx] } } });
    expectKnownFields(deploy);
    expect((decode('job133').spec as { template: { spec: unknown } }).template.spec).toEqual({
      containers: [{ name: 'job33', image: 'busybox', resources: {} }],
      restartPolicy: 'Never',
    });
  });
});

describe('DeleteOptions from kubectl drain', () => {
  it('decodes no options, gracePeriodSeconds 0 (kept: a pointer) and 7', () => {
    expect(decode('drainDeleteOptions')).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions' });
    expect(decode('drainGraceZero')).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
    expect(decode('drainGraceSeven')).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 7 });
  });
});
