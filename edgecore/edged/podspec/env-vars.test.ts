import { describe, expect, it } from 'vitest';
import { makeEnvironment } from './env-vars.js';
import type { ObjectLookup } from './object-lookup.js';
import type { PodSpecWarning } from './outcomes.js';
import { parsePod } from './parse-pod.js';
import type { Pod } from './pod-schema.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

const configMaps: Record<string, Record<string, string>> = {
  'app-config': { mode: 'fast', level: '3', 'bad key': 'x', '1starts-with-digit': 'y', 'dotted.name': 'z' },
  other: { mode: 'slow' },
};
const secrets: Record<string, Record<string, string>> = { db: { password: b64('s3cret'), user: b64('admin') }, broken: { x: 'not base64!' } };

const lookup: ObjectLookup = {
  configMap: (namespace, name) => (namespace === 'shop' && configMaps[name] !== undefined ? { data: configMaps[name] } : undefined),
  secret: (namespace, name) => (namespace === 'shop' && secrets[name] !== undefined ? { data: secrets[name] } : undefined),
};

function podWith(container: Record<string, unknown>, extra: { spec?: Record<string, unknown>; metadata?: Record<string, unknown> } = {}): Pod {
  const parsed = parsePod({
    metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-1', labels: { app: 'web', 'tier.x/y': 'front' }, annotations: { note: 'hello' }, ...extra.metadata },
    spec: { nodeName: 'edge-1', serviceAccountName: 'robot', containers: [{ name: 'app', image: 'outpost.local/busybox:1', ...container }], ...extra.spec },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function envOf(pod: Pod, warnings: PodSpecWarning[] = []) {
  const container = pod.spec.containers[0];
  if (container === undefined) throw new Error('no container');
  return makeEnvironment({ pod, container, lookup, machine: { memoryBytes: 8 * 1024 ** 3, cpuCount: 4 }, podIP: '10.42.0.7', hostIP: '192.168.1.5', onWarning: (w) => warnings.push(w) });
}

function values(pod: Pod): [string, string][] {
  const result = envOf(pod);
  if (!result.ok) throw new Error(result.message);
  return result.value.map((e) => [e.key, e.value]);
}

describe('makeEnvironment', () => {
  it('puts envFrom first (sorted keys, prefix), then env in order; env replaces envFrom in place', () => {
    const pod = podWith({
      envFrom: [{ configMapRef: { name: 'other' } }, { secretRef: { name: 'db' }, prefix: 'DB_' }],
      env: [{ name: 'Z', value: 'last' }, { name: 'mode', value: 'override' }, { name: 'A', value: 'first-declared-second' }],
    });
    expect(values(pod)).toEqual([
      ['mode', 'override'],
      ['DB_password', 's3cret'],
      ['DB_user', 'admin'],
      ['Z', 'last'],
      ['A', 'first-declared-second'],
    ]);
  });

  it('skips envFrom keys that are not valid env names and reports them in one warning', () => {
    const warnings: PodSpecWarning[] = [];
    const result = envOf(podWith({ envFrom: [{ configMapRef: { name: 'app-config' } }] }), warnings);
    expect(result.ok && result.value.map((e) => e.key)).toEqual(['dotted.name', 'level', 'mode']);
    expect(warnings).toEqual([
      {
        reason: 'InvalidEnvironmentVariableNames',
        message: 'Keys [1starts-with-digit, bad key] from the EnvFrom configMap shop/app-config were skipped since they are considered invalid environment variable names.',
      },
    ]);
  });

  it('expands $(VAR) in values from envFrom and earlier env entries only', () => {
    const pod = podWith({
      envFrom: [{ configMapRef: { name: 'other' } }],
      env: [
        { name: 'HOST', value: 'db.local' },
        { name: 'URL', value: 'pg://$(HOST):$(PORT)/$(mode)' },
        { name: 'PORT', value: '5432' },
        { name: 'ESCAPED', value: '$$(HOST)' },
        { name: 'SELF', value: '$(SELF)x' },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'GREETING', value: 'hi $(NAME)' },
        { name: 'EMPTY' },
      ],
    });
    expect(values(pod)).toEqual([
      ['mode', 'slow'],
      ['HOST', 'db.local'],
      ['URL', 'pg://db.local:$(PORT)/slow'],
      ['PORT', '5432'],
      ['ESCAPED', '$(HOST)'],
      ['SELF', '$(SELF)x'],
      ['NAME', 'web-0'],
      ['GREETING', 'hi web-0'],
      ['EMPTY', ''],
    ]);
  });

  it('resolves every downward API field', () => {
    const fields = [
      'metadata.name',
      'metadata.namespace',
      'metadata.uid',
      "metadata.labels['app']",
      "metadata.labels['tier.x/y']",
      "metadata.labels['missing']",
      "metadata.annotations['note']",
      "metadata.labels['constructor']",
      'spec.nodeName',
      'spec.serviceAccountName',
      'status.hostIP',
      'status.hostIPs',
      'status.podIP',
      'status.podIPs',
    ];
    const pod = podWith({ env: fields.map((fieldPath, i) => ({ name: `F${i}`, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } })) });
    expect(values(pod).map(([, v]) => v)).toEqual(['web-0', 'shop', 'uid-1', 'web', 'front', '', 'hello', '', 'edge-1', 'robot', '192.168.1.5', '192.168.1.5', '10.42.0.7', '10.42.0.7']);
  });

  it('fails on an unsupported field path or API version', () => {
    const bad = envOf(podWith({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.schedulerName' } } }] }));
    expect(bad).toEqual({ ok: false, code: 'Invalid', message: 'unsupported fieldPath: spec.schedulerName' });
    const version = envOf(podWith({ env: [{ name: 'X', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }] }));
    expect(version).toEqual({ ok: false, code: 'Invalid', message: 'unsupported pod version: v2' });
  });

  it('resolves resourceFieldRef with divisors, defaulting limits to the node and requests to limits', () => {
    const ref = (resource: string, divisor?: string, containerName?: string) => ({ resourceFieldRef: { resource, ...(divisor === undefined ? {} : { divisor }), ...(containerName === undefined ? {} : { containerName }) } });
    const pod = podWith(
      {
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1500m', memory: '128Mi' } },
        env: [
          { name: 'LIM_CPU', valueFrom: ref('limits.cpu') },
          { name: 'LIM_CPU_M', valueFrom: ref('limits.cpu', '1m') },
          { name: 'REQ_CPU', valueFrom: ref('requests.cpu') },
          { name: 'REQ_CPU_M', valueFrom: ref('requests.cpu', '1m') },
          { name: 'LIM_MEM', valueFrom: ref('limits.memory') },
          { name: 'LIM_MEM_MI', valueFrom: ref('limits.memory', '1Mi') },
          { name: 'REQ_MEM_M', valueFrom: ref('requests.memory', '1M') },
          { name: 'SIDE_LIM_CPU', valueFrom: ref('limits.cpu', undefined, 'side') },
          { name: 'NODE_MEM_GI', valueFrom: ref('limits.memory', '1Gi', 'side2') },
          { name: 'SIDE_LIM_MEM', valueFrom: ref('limits.memory', '1Gi', 'side') },
          { name: 'SIDE_REQ_MEM', valueFrom: ref('requests.memory', '1Ki', 'side') },
          { name: 'SIDE_REQ_CPU', valueFrom: ref('requests.cpu', undefined, 'side') },
          { name: 'EPHEMERAL', valueFrom: ref('limits.ephemeral-storage') },
        ],
      },
    );
    pod.spec.containers.push({ name: 'side', image: 'outpost.local/busybox:1', resources: { limits: { memory: '32Mi' } } }, { name: 'side2', image: 'outpost.local/busybox:1' });
    expect(values(pod)).toEqual([
      ['LIM_CPU', '2'],
      ['LIM_CPU_M', '1500'],
      ['REQ_CPU', '1'],
      ['REQ_CPU_M', '250'],
      ['LIM_MEM', '134217728'],
      ['LIM_MEM_MI', '128'],
      ['REQ_MEM_M', '68'],
      ['SIDE_LIM_CPU', '4'],
      ['NODE_MEM_GI', '8'],
      ['SIDE_LIM_MEM', '1'],
      ['SIDE_REQ_MEM', '32768'],
      ['SIDE_REQ_CPU', '0'],
      ['EPHEMERAL', '0'],
    ]);
  });

  it('fails on an unknown resource or container in resourceFieldRef', () => {
    expect(envOf(podWith({ env: [{ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }] }))).toEqual({
      ok: false,
      code: 'Invalid',
      message: 'unsupported container resource : limits.gpu',
    });
    expect(envOf(podWith({ env: [{ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', containerName: 'nope' } } }] }))).toEqual({
      ok: false,
      code: 'Invalid',
      message: 'container nope not found',
    });
  });

  it('reads configMapKeyRef and secretKeyRef (base64-decoded)', () => {
    const pod = podWith({
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      ],
    });
    expect(values(pod)).toEqual([
      ['MODE', 'fast'],
      ['PASSWORD', 's3cret'],
    ]);
  });

  it.each([
    [{ envFrom: [{ configMapRef: { name: 'nope' } }] }, 'configmap "nope" not found'],
    [{ envFrom: [{ secretRef: { name: 'nope' } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app-config-missing', key: 'mode' } } }] }, 'configmap "app-config-missing" not found'],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'other', key: 'level' } } }] }, "couldn't find key level in ConfigMap shop/other"],
    [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'other', key: 'constructor' } } }] }, "couldn't find key constructor in ConfigMap shop/other"],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'vault', key: 'password' } } }] }, 'secret "vault" not found'],
    [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'token' } } }] }, "couldn't find key token in Secret shop/db"],
  ])('fails with kubelet\'s message: %j', (container, message) => {
    expect(envOf(podWith(container))).toEqual({ ok: false, code: 'NotFound', message });
  });

  it('leaves out optional references that are missing', () => {
    const pod = podWith({
      envFrom: [{ configMapRef: { name: 'nope', optional: true } }, { secretRef: { name: 'nope', optional: true } }],
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'other', key: 'k', optional: true } } },
        { name: 'C', valueFrom: { secretKeyRef: { name: 'db', key: 'k', optional: true } } },
        { name: 'D', valueFrom: { secretKeyRef: { name: 'nope', key: 'k', optional: true } } },
        { name: 'E', value: '$(A)' },
      ],
    });
    expect(values(pod)).toEqual([['E', '$(A)']]);
  });

  it('fails on secret data that is not base64', () => {
    const result = envOf(podWith({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'broken', key: 'x' } } }] }));
    expect(result).toEqual({ ok: false, code: 'Invalid', message: 'secret shop/broken: key x is not valid base64' });
  });
});
