import { describe, expect, it } from 'vitest';
import { parsePod, type ObjectLookup, type Pod } from '../podspec/index.js';
import type { Payload } from './atomic-writer.js';
import { downwardApiPayload, formatMap } from './downward-payload.js';
import { configMapPayload, secretPayload } from './object-payloads.js';
import { projectedPayload } from './projected-payload.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

const lookup: ObjectLookup = {
  configMap: (namespace, name) => (namespace === 'apps' && name === 'cfg' ? { data: { 'app.conf': 'level=debug', other: 'o' }, binaryData: { 'logo.bin': b64('\u0001\u0002') } } : undefined),
  secret: (namespace, name) => (namespace === 'apps' && name === 'creds' ? { data: { password: b64('s3cret'), user: b64('admin') } } : undefined),
};

function pod(): Pod {
  const parsed = parsePod({
    metadata: { name: 'web', namespace: 'apps', uid: 'uid-1', labels: { tier: 'front', app: 'web' }, annotations: { note: 'say "hi"' } },
    spec: { serviceAccountName: 'reader', containers: [{ name: 'c', image: 'i', resources: { limits: { memory: '64Mi', cpu: '250m' } } }] },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const machine = { memoryBytes: 8 * 1024 ** 3, cpuCount: 2 };
const text = (payload: Payload): Record<string, [string, string]> =>
  Object.fromEntries([...payload].map(([path, file]) => [path, [file.data.toString('utf8'), file.mode.toString(8)]]));

function value<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('configMap and secret volume payloads', () => {
  it('every key (binaryData decoded) with the default mode when no items are listed', () => {
    const payload = value(configMapPayload(lookup, 'apps', { name: 'cfg' }, undefined));
    expect(text(payload)).toEqual({ 'app.conf': ['level=debug', '644'], other: ['o', '644'], 'logo.bin': ['\u0001\u0002', '644'] });
  });

  it('items choose keys, paths and modes; defaultMode applies where an item has none', () => {
    const payload = value(configMapPayload(lookup, 'apps', { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }, { key: 'other', path: 'o.txt' }] }, 0o440));
    expect(text(payload)).toEqual({ 'conf/app.conf': ['level=debug', '600'], 'o.txt': ['o', '440'] });
  });

  it("a missing object or key fails with kubelet's message, unless optional", () => {
    expect(configMapPayload(lookup, 'apps', { name: 'nope' }, undefined)).toMatchObject({ ok: false, message: 'configmap "nope" not found' });
    expect(secretPayload(lookup, 'apps', { name: 'nope' }, undefined)).toMatchObject({ ok: false, message: 'secret "nope" not found' });
    expect(configMapPayload(lookup, 'other-ns', { name: 'cfg' }, undefined).ok).toBe(false);
    expect(configMapPayload(lookup, 'apps', { name: 'cfg', items: [{ key: 'missing', path: 'm' }] }, undefined)).toMatchObject({ ok: false, message: 'configmap references non-existent config key: missing' });
    expect(secretPayload(lookup, 'apps', { name: 'creds', items: [{ key: 'missing', path: 'm' }] }, undefined)).toMatchObject({ ok: false, message: 'references non-existent secret key: missing' });
    expect(value(configMapPayload(lookup, 'apps', { name: 'nope', optional: true }, undefined)).size).toBe(0);
    expect(text(value(secretPayload(lookup, 'apps', { name: 'creds', optional: true, items: [{ key: 'missing', path: 'm' }, { key: 'user', path: 'u' }] }, undefined)))).toEqual({ u: ['admin', '644'] });
  });

  it('secret data is base64-decoded', () => {
    expect(text(value(secretPayload(lookup, 'apps', { name: 'creds' }, 0o400)))).toEqual({ password: ['s3cret', '400'], user: ['admin', '400'] });
  });
});

describe('downwardAPI volume payload', () => {
  it('metadata fields, whole maps formatted as fieldpath.FormatMap, one label, and a resource', () => {
    const payload = value(downwardApiPayload([
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
      { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' }, mode: 0o600 },
      { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
      { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
      { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
    ], pod(), 0o644, machine));
    expect(text(payload)).toEqual({
      name: ['web', '644'], ns: ['apps', '644'], uid: ['uid-1', '644'],
      labels: ['app="web"\ntier="front"', '644'],
      annotations: ['note="say \\"hi\\""', '600'],
      tier: ['front', '644'], mem: ['64', '644'], cpu: ['250', '644'],
    });
    expect(formatMap(undefined)).toBe('');
  });

  it('refuses fields a volume may not read', () => {
    expect(downwardApiPayload([{ path: 'ip', fieldRef: { fieldPath: 'status.podIP' } }], pod(), 0o644, machine).ok).toBe(false);
    expect(downwardApiPayload([{ path: 'x', resourceFieldRef: { containerName: 'nope', resource: 'limits.cpu' } }], pod(), 0o644, machine).ok).toBe(false);
  });
});

describe('projected volume payload', () => {
  it('merges configMap, secret, downwardAPI and token sources with the volume defaultMode', () => {
    let asked = 0;
    const payload = value(projectedPayload({
      sources: [
        { configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'app.conf' }] } },
        { secret: { name: 'creds', items: [{ key: 'password', path: 'secret/password', mode: 0o400 }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
        { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      ],
      defaultMode: 0o440, pod: pod(), lookup, machine,
      token: () => {
        asked++;
        return 'the-token';
      },
    }));
    expect(text(payload)).toEqual({ 'app.conf': ['level=debug', '440'], 'secret/password': ['s3cret', '400'], namespace: ['apps', '440'], token: ['the-token', '440'] });
    expect(asked).toBe(1);
  });

  it('a missing source fails the volume unless optional; an unknown source kind is refused', () => {
    const base = { defaultMode: undefined, pod: pod(), lookup, machine, token: () => 't' };
    expect(projectedPayload({ ...base, sources: [{ configMap: { name: 'kube-root-ca.crt' } }] })).toMatchObject({ ok: false, message: 'configmap "kube-root-ca.crt" not found' });
    expect(value(projectedPayload({ ...base, sources: [{ configMap: { name: 'kube-root-ca.crt', optional: true } }, { secret: { name: 'creds', items: [{ key: 'user', path: 'user' }] } }] })).size).toBe(1);
    expect(projectedPayload({ ...base, sources: [{ clusterTrustBundle: { path: 'ca' } }] })).toMatchObject({ ok: false, message: 'projected volume source clusterTrustBundle is not supported on this edge' });
  });
});
