import { describe, expect, it } from 'vitest';
import { canonicalJson, containerSpecHash } from './container-hash.js';
import { parsePod } from './parse-pod.js';
import type { PodContainer } from './pod-schema.js';

function containerOf(container: Record<string, unknown>): PodContainer {
  const parsed = parsePod({ metadata: { name: 'p', uid: 'u' }, spec: { containers: [container] } });
  if (!parsed.ok) throw new Error(parsed.message);
  const first = parsed.value.spec.containers[0];
  if (first === undefined) throw new Error('no container');
  return first;
}

describe('containerSpecHash', () => {
  const base = { name: 'app', image: 'outpost.local/busybox:1', command: ['sh', '-c', 'sleep 1'], env: [{ name: 'A', value: '1' }], resources: { limits: { cpu: '1' } } };

  it('is 16 hex digits and the same for the same spec whatever the key order', () => {
    const hash = containerSpecHash(containerOf(base));
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const reordered = { resources: { limits: { cpu: '1' } }, env: [{ value: '1', name: 'A' }], command: ['sh', '-c', 'sleep 1'], image: 'outpost.local/busybox:1', name: 'app' };
    expect(containerSpecHash(containerOf(reordered))).toBe(hash);
  });

  it('ignores null fields (JSON null means "not set")', () => {
    expect(containerSpecHash(containerOf({ ...base, workingDir: null, args: null }))).toBe(containerSpecHash(containerOf(base)));
  });

  it('changes with any change to the spec, including fields edged does not read', () => {
    const hash = containerSpecHash(containerOf(base));
    const variants = [
      { ...base, image: 'outpost.local/busybox:2' },
      { ...base, command: ['sh', 'sleep 1', '-c'] },
      { ...base, env: [{ name: 'A', value: '2' }] },
      { ...base, resources: { limits: { cpu: '2' } } },
      { ...base, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] },
    ];
    for (const variant of variants) expect(containerSpecHash(containerOf(variant))).not.toBe(hash);
  });

  it('writes canonical JSON with keys sorted at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });
});
