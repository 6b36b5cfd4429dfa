import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { pressureConditions, readPressureFigures } from './pressure-conditions.js';

const now = new Date('2026-01-01T00:00:00.000Z');
const GiB = 1024 ** 3;

describe('pressure conditions', () => {
  it('are False with kubelet\'s reasons above the default eviction thresholds', () => {
    const conditions = pressureConditions({ memoryAvailableBytes: 2 * GiB, nodefsAvailableBytes: 50 * GiB, nodefsCapacityBytes: 100 * GiB, pidsAvailable: 4000 }, now);
    expect(conditions).toEqual([
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('turn True below memory.available<100Mi, nodefs.available<10%, and with no PID left', () => {
    const conditions = pressureConditions({ memoryAvailableBytes: 99 * 1024 * 1024, nodefsAvailableBytes: 9 * GiB, nodefsCapacityBytes: 100 * GiB, pidsAvailable: 0 }, now);
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory'],
      ['DiskPressure', 'True', 'KubeletHasDiskPressure'],
      ['PIDPressure', 'True', 'KubeletHasInsufficientPID'],
    ]);
  });

  it('reads real figures from this host', () => {
    const figures = readPressureFigures(tmpdir());
    expect(figures.memoryAvailableBytes).toBeGreaterThan(0);
    expect(figures.nodefsCapacityBytes).toBeGreaterThanOrEqual(figures.nodefsAvailableBytes);
    expect(figures.pidsAvailable).toBeGreaterThan(0);
  });
});
