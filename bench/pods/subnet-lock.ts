import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/**
 * The benchmark's edge gets its pod subnet from the cloud (--cluster-cidr of exactly one /24), so
 * its CNI bridge never overlaps another edge on this machine: cloudcore's default 10.42/16 (other
 * sessions' `outpost up`), the tests' 10.201/16, CNI examples' 10.88/16. A lock file per /24 keeps
 * two benchmark runs apart; a lock whose holder died is taken over.
 */
export const BENCH_SUBNET_PREFIX = '10.202';
const LOCK_DIR = join(tmpdir(), 'outpost-bench-podcidr-locks');

export interface SubnetLease {
  cidr: string;
  release(): void;
}

/** Third octets (1..250) an address of the machine already uses under `prefix`. */
export function usedThirdOctets(prefix: string, addresses: readonly string[]): Set<number> {
  const used = new Set<number>();
  for (const address of addresses) {
    if (!address.startsWith(`${prefix}.`)) continue;
    const third = Number(address.slice(prefix.length + 1).split('.')[0]);
    if (Number.isInteger(third)) used.add(third);
  }
  return used;
}

/** The order in which candidates are tried: from a pid-dependent start, so parallel runs spread out. */
export function candidateOctets(pid: number): number[] {
  const start = (pid * 7) % 250;
  return Array.from({ length: 250 }, (_, i) => ((start + i) % 250) + 1);
}

function holderAlive(lock: string): boolean {
  let holder: number;
  try {
    holder = Number(readFileSync(lock, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (!Number.isInteger(holder) || holder <= 0) return false;
  try {
    process.kill(holder, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function reserveSubnet(): Result<SubnetLease> {
  try {
    mkdirSync(LOCK_DIR, { recursive: true });
    const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
    const used = usedThirdOctets(BENCH_SUBNET_PREFIX, addresses);
    for (const third of candidateOctets(process.pid)) {
      if (used.has(third)) continue;
      const lock = join(LOCK_DIR, `${third}.lock`);
      if (holderAlive(lock)) continue;
      rmSync(lock, { force: true });
      let fd: number;
      try {
        fd = openSync(lock, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return ok({ cidr: `${BENCH_SUBNET_PREFIX}.${third}.0/24`, release: () => rmSync(lock, { force: true }) });
    }
    return fail('Unavailable', `no free pod subnet under ${BENCH_SUBNET_PREFIX}.0.0/16`);
  } catch (err) {
    return fail('Internal', `reserving a pod subnet: ${errorMessage(err)}`);
  }
}
