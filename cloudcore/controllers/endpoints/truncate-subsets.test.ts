import { describe, expect, it } from 'vitest';
import type { Address, Subset } from './desired-subsets.js';
import { truncateSubsets } from './truncate-subsets.js';

const addresses = (prefix: string, n: number): Address[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 250)}.${i % 250}`, targetRef: { kind: 'Pod', name: `p${i}` } }));

describe('truncateSubsets', () => {
  it('leaves 1000 addresses alone', () => {
    expect(truncateSubsets([{ addresses: addresses('10.1', 600), notReadyAddresses: addresses('10.2', 400) }])).toBeUndefined();
  });

  it('keeps every ready address and fills the rest with unready ones', () => {
    const out = truncateSubsets([{ addresses: addresses('10.1', 900), notReadyAddresses: addresses('10.2', 300), ports: [{ port: 80, protocol: 'TCP' }] }]) as Subset[];
    expect(out[0]?.addresses).toHaveLength(900);
    expect(out[0]?.notReadyAddresses).toHaveLength(100);
    expect(out[0]?.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });

  it('above 1000 ready addresses, shares them out by subset size and drops the unready', () => {
    const out = truncateSubsets([{ addresses: addresses('10.1', 1500), notReadyAddresses: addresses('10.2', 5) }, { addresses: addresses('10.3', 500) }]) as Subset[];
    expect(out.map((s) => s.addresses?.length)).toEqual([750, 250]);
    expect(out.every((s) => s.notReadyAddresses === undefined)).toBe(true);
  });
});
