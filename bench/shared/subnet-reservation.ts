import { networkInterfaces } from 'node:os';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import { reserveFirstFree } from './range-lock.js';

/**
 * Pod subnets of their own for edges started by benchmarks and tests on one machine, so that no
 * two CNI bridges get the same address. Each scheme has its own range and lock folder, and the
 * ranges are disjoint: cloudcore's default 10.42/16 (`outpost up`), CNI examples' 10.88/16, the
 * test clouds' 10.100–199/16 (test/helpers/cluster-cidr.ts), the test runtimes' 10.201.X.0/24
 * (test/helpers/containerd-runtime.ts), the pods benchmark's 10.202.X.0/24 (bench/pods).
 */
export interface SubnetLease {
  cidr: string;
  release(): void;
}

/** The addresses of this host's interfaces (a runtime's bridge, a VPN…). */
export function hostAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

/** Third octets (1..250) an address of the machine already uses under `prefix` ("10.202"). */
export function usedThirdOctets(prefix: string, addresses: readonly string[]): Set<number> {
  const used = new Set<number>();
  for (const address of addresses) {
    if (!address.startsWith(`${prefix}.`)) continue;
    const third = Number(address.slice(prefix.length + 1).split('.')[0]);
    if (Number.isInteger(third)) used.add(third);
  }
  return used;
}

/** The order in which third octets are tried: from a pid-dependent start, so parallel runs spread out. */
export function candidateOctets(pid: number): number[] {
  const start = (pid * 7) % 250;
  return Array.from({ length: 250 }, (_, i) => ((start + i) % 250) + 1);
}

/**
 * A free `${prefix}.X.0/24` (X in 1..250) no interface of the host uses, locked in `lockDir`
 * until released or this process exits.
 */
export function reserveSubnet24(prefix: string, lockDir: string): Result<SubnetLease> {
  let used: Set<number>;
  try {
    used = usedThirdOctets(prefix, hostAddresses());
  } catch (err) {
    return fail('Internal', `listing the host's addresses: ${errorMessage(err)}`);
  }
  const lease = reserveFirstFree(lockDir, candidateOctets(process.pid).filter((third) => !used.has(third)).map(String));
  if (!lease.ok) return lease.code === 'Unavailable' ? fail('Unavailable', `no free pod subnet under ${prefix}.0.0/16: ${lease.message}`) : lease;
  return ok({ cidr: `${prefix}.${lease.value.name}.0/24`, release: lease.value.release });
}
