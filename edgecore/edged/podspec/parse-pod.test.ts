import { describe, expect, it } from 'vitest';
import { parsePod } from './parse-pod.js';

describe('parsePod', () => {
  it('accepts a pod, keeps unknown fields, defaults the namespace and ignores status', () => {
    const result = parsePod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', uid: 'u', resourceVersion: '7' },
      spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 1, memory: '64Mi' } }, futureField: { x: 1 } }], tolerations: [{ key: 'k' }] },
      status: { phase: 'Running', anything: [1, 2] },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.metadata.namespace).toBe('default');
    expect(result.value.metadata.resourceVersion).toBe('7');
    expect(result.value.spec.containers[0]).toMatchObject({ futureField: { x: 1 }, resources: { limits: { cpu: '1', memory: '64Mi' } } });
    expect(result.value.spec.tolerations).toEqual([{ key: 'k' }]);
  });

  it('lists every problem with its path', () => {
    const result = parsePod({
      metadata: { name: 'p', namespace: 'ns' },
      spec: {
        containers: [
          { name: 'c', image: '', resources: { requests: { memory: '1 GB' } }, ports: [{ containerPort: 70000 }], env: [{ name: 'X', valueFrom: {} }] },
          { name: 'c', image: 'i', imagePullPolicy: 'Sometimes', envFrom: [{ prefix: 'P' }] },
        ],
        restartPolicy: 'Sometimes',
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('Invalid');
    expect(result.message).toMatch(/^pod ns\/p is invalid: /);
    for (const path of [
      'metadata.uid',
      'spec.containers[0].image',
      'spec.containers[0].resources.requests.memory: quantities must match',
      'spec.containers[0].ports[0].containerPort',
      'spec.containers[0].env[0].valueFrom: must specify exactly one of',
      'spec.containers[1].imagePullPolicy',
      'spec.containers[1].envFrom[0]: must specify exactly one of configMapRef or secretRef',
      'spec.restartPolicy',
    ]) {
      expect(result.message).toContain(path);
    }
  });

  it('reports duplicate container names across init and app containers', () => {
    const result = parsePod({ metadata: { name: 'p', uid: 'u' }, spec: { initContainers: [{ name: 'c', image: 'i' }], containers: [{ name: 'c', image: 'i' }] } });
    expect(result).toEqual({ ok: false, code: 'Invalid', message: 'pod p is invalid: spec.containers[0].name: Duplicate value: "c"' });
  });

  it('refuses what is not a pod at all', () => {
    expect(parsePod('nope')).toMatchObject({ ok: false, code: 'Invalid', message: expect.stringMatching(/^pod \(no metadata\) is invalid/) });
    expect(parsePod({ metadata: { name: 'p', uid: 'u' }, spec: { containers: [] } })).toMatchObject({ ok: false });
  });
});
