import { describe, expect, it } from 'vitest';
import { checkPodCidrFree } from './pod-cidr-conflicts.js';

const iface = (address: string) => [{ address, family: 'IPv4' as const, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal: false, cidr: `${address}/24` }];

describe('pod subnet conflicts on the host', () => {
  it('refuses a subnet another interface uses, allows the edge\'s own bridge and unrelated addresses', () => {
    expect(checkPodCidrFree('10.42.0.0/24', 'op1234', { eth0: iface('192.0.2.2'), op1234: iface('10.42.0.1') }).ok).toBe(true);
    const clash = checkPodCidrFree('10.42.0.0/24', 'op1234', { eth0: iface('192.0.2.2'), opabcd: iface('10.42.0.1') });
    expect(clash).toMatchObject({ ok: false, code: 'Conflict', message: expect.stringMatching(/10\.42\.0\.0\/24 overlaps address 10\.42\.0\.1 of interface opabcd.*--cluster-cidr/) });
  });
});
