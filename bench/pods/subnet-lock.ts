import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../shared/errors.js';
import { reserveSubnet24, type SubnetLease } from '../shared/subnet-reservation.js';

/**
 * The benchmark's edge gets its pod subnet from the cloud (--cluster-cidr of exactly one /24), so
 * its CNI bridge never overlaps another edge on this machine: 10.202.X.0/24, beside the ranges of
 * bench/shared/subnet-reservation.ts. A lock file per /24 keeps two benchmark runs apart.
 */
export const BENCH_SUBNET_PREFIX = '10.202';
const LOCK_DIR = join(tmpdir(), 'outpost-bench-podcidr-locks');

export function reserveSubnet(): Result<SubnetLease> {
  return reserveSubnet24(BENCH_SUBNET_PREFIX, LOCK_DIR);
}
