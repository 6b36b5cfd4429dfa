import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { advertisedJoinAddress, firstNonLoopbackAddress, publishedHosts } from './advertised-url.js';

function iface(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  return { address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) } as NetworkInterfaceInfo;
}

describe('the published addresses', () => {
  it('take the first address another machine reaches: IPv4 first, never loopback or link-local', () => {
    expect(firstNonLoopbackAddress({ lo: [iface('127.0.0.1', 'IPv4', true)], eth0: [iface('fe80::1', 'IPv6'), iface('fd00::2', 'IPv6'), iface('192.0.2.2', 'IPv4')] })).toBe('192.0.2.2');
    expect(firstNonLoopbackAddress({ eth0: [iface('169.254.3.4', 'IPv4'), iface('fe80::1', 'IPv6'), iface('fd00::2', 'IPv6')] })).toBe('fd00::2');
    expect(firstNonLoopbackAddress({ lo: [iface('127.0.0.1', 'IPv4', true)] })).toBeUndefined();
  });

  it('give the join address: advertise address, else the external URL\'s host, else the advertised host; with the join port', () => {
    expect(advertisedJoinAddress({ advertiseAddress: '198.51.100.7', externalUrl: 'wss://lb.example:443', bindAddress: '0.0.0.0' }, 10002)).toBe('198.51.100.7:10002');
    expect(advertisedJoinAddress({ externalUrl: 'wss://lb.example:443', bindAddress: '0.0.0.0' }, 10002)).toBe('lb.example:10002');
    expect(advertisedJoinAddress({ bindAddress: '10.1.2.3' }, 4242)).toBe('10.1.2.3:4242');
    expect(advertisedJoinAddress({ advertiseAddress: 'fd00::1', bindAddress: '::' }, 10002)).toBe('[fd00::1]:10002');
    expect(advertisedJoinAddress({ bindAddress: '0.0.0.0' }, 10002)).not.toMatch(/^0\.0\.0\.0:/);
  });

  it('put the advertised host and the external URL\'s host on the serving certificate', () => {
    expect(publishedHosts({ advertiseAddress: 'hub-1.example', externalUrl: 'wss://[fd00::9]:443', bindAddress: '0.0.0.0' })).toEqual(['hub-1.example', 'fd00::9']);
  });
});
