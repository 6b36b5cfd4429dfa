import { describe, expect, it } from 'vitest';
import { microTime } from './lease-report.js';
import { machineNodeStatus, osImageFrom } from './node-report.js';

describe('node report', () => {
  it('reports capacity, allocatable, addresses and nodeInfo in kubelet\'s shapes', () => {
    const status = machineNodeStatus({ cpuCount: 4, memoryBytes: 8 * 1024 ** 3, hostname: 'box', internalIPv4: undefined, kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'arm64', machineID: 'abc' });
    expect(status.capacity).toEqual({ cpu: '4', memory: '8388608Ki', pods: '110' });
    expect(status.allocatable).toEqual(status.capacity);
    expect(status.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'box' }]);
    expect(status.nodeInfo).toMatchObject({ kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', operatingSystem: 'linux', architecture: 'arm64', kubeletVersion: 'v1.32.0-outpost', containerRuntimeVersion: '', machineID: 'abc' });
  });

  it('takes osImage from PRETTY_NAME and writes MicroTime renewals', () => {
    expect(osImageFrom('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(osImageFrom('')).toBe('Linux');
    expect(microTime(new Date('2025-01-01T00:00:00.123Z'))).toBe('2025-01-01T00:00:00.123000Z');
  });
});
