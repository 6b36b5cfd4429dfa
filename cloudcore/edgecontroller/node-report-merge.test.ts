import { describe, expect, it } from 'vitest';
import { defaultNodeLabels, mergedNodeConditions, missesLabels } from './node-report-merge.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const pressure = (type: string, status: string, at: string) => ({ type, status, reason: 'r', message: 'm', lastHeartbeatTime: at, lastTransitionTime: at });

describe('node report merge', () => {
  it('labels the Node as kubelet does, from the reported nodeInfo', () => {
    expect(defaultNodeLabels('edge-1', { nodeInfo: { operatingSystem: 'linux', architecture: 'arm64' } })).toEqual({
      'kubernetes.io/hostname': 'edge-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'arm64',
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': 'arm64',
    });
    expect(defaultNodeLabels('edge-1', { nodeInfo: { operatingSystem: 'linux; rm', architecture: 'x' } })).toEqual({ 'kubernetes.io/hostname': 'edge-1' });
    expect(missesLabels({ 'kubernetes.io/hostname': 'edge-1' }, { 'kubernetes.io/hostname': 'edge-1' })).toBe(false);
    expect(missesLabels({ 'kubernetes.io/hostname': 'edge-1' }, { 'kubernetes.io/os': 'linux' })).toBe(true);
  });

  it('takes the reported pressure conditions, keeps a transition time while the status holds, and ends with Ready', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { conditions: [pressure('MemoryPressure', 'False', T0), pressure('DiskPressure', 'False', T0), { type: 'Ready', status: 'True', lastTransitionTime: T0 }] } };
    const merged = mergedNodeConditions(node, [pressure('MemoryPressure', 'False', T1), pressure('DiskPressure', 'True', T1), { type: 'Ready', status: 'False' }, 'junk'], T1);
    expect(merged.map((c) => [c.type, c.status, c.lastTransitionTime, c.lastHeartbeatTime])).toEqual([
      ['MemoryPressure', 'False', T0, T1],
      ['DiskPressure', 'True', T1, T1],
      ['Ready', 'True', T0, T1],
    ]);
  });
});
