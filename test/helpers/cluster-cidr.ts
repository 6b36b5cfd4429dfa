import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostAddresses, reserveFirstFree } from '../../bench/shared/index.js';

/**
 * A pod address range of its own for each test cloud. Test files run side by side, and two clouds
 * on their default 10.42.0.0/16 would both give their first edge 10.42.0.0/24: two bridges with
 * the same address on one host. Each cloud here takes a free 10.N.0.0/16 (N in 100..199, disjoint
 * from the other ranges of bench/shared/subnet-reservation.ts), reserved with a lock file naming
 * this process, until the process exits; a restarted cloud on the same data folder keeps its range.
 */
const LOCK_DIR = join(tmpdir(), 'outpost-test-cluster-cidrs');
const byDataDir = new Map<string, string>();

export function clusterCidrFor(dataDir: string): string {
  const known = byDataDir.get(dataDir);
  if (known !== undefined) return known;
  // Ranges some interface of this host already uses (a runtime's bridge, a VPN) are skipped too.
  const inUse = new Set(hostAddresses().map((address) => address.split('.').slice(0, 2).join('.')));
  const candidates = Array.from({ length: 100 }, (_, i) => 100 + i).filter((n) => !inUse.has(`10.${n}`));
  const lease = reserveFirstFree(LOCK_DIR, candidates.map(String));
  if (!lease.ok) throw new Error(`no free test cluster CIDR: ${lease.message}`);
  const cidr = `10.${lease.value.name}.0.0/16`;
  byDataDir.set(dataDir, cidr);
  return cidr;
}
