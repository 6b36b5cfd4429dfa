import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A pod address range of its own for each test cloud. Test files run side by side, and two clouds
 * on their default 10.42.0.0/16 would both give their first edge 10.42.0.0/24: two bridges with
 * the same address on one host. Each cloud here takes a free 10.N.0.0/16 (N in 100..199),
 * reserved with a lock file naming this process, until the process exits; a restarted cloud on
 * the same data folder keeps its range.
 */
const LOCK_DIR = join(tmpdir(), 'outpost-test-cluster-cidrs');
const byDataDir = new Map<string, string>();
const held: string[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const owner = Number(readFileSync(file, 'utf8'));
  if (Number.isInteger(owner) && owner > 0 && alive(owner)) return false;
  // A lock left by a process that is gone: take it over.
  rmSync(file, { force: true });
  return tryLock(file);
}

export function clusterCidrFor(dataDir: string): string {
  const known = byDataDir.get(dataDir);
  if (known !== undefined) return known;
  mkdirSync(LOCK_DIR, { recursive: true });
  // Ranges some interface of this host already uses (a runtime's bridge, a VPN) are skipped too.
  const inUse = new Set(Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map((a) => a.address.split('.').slice(0, 2).join('.'))));
  for (let n = 100; n < 200; n++) {
    if (inUse.has(`10.${n}`)) continue;
    const file = join(LOCK_DIR, `${n}.lock`);
    if (!tryLock(file)) continue;
    if (held.length === 0) process.once('exit', () => held.forEach((f) => rmSync(f, { force: true })));
    held.push(file);
    const cidr = `10.${n}.0.0/16`;
    byDataDir.set(dataDir, cidr);
    return cidr;
  }
  throw new Error(`no free test cluster CIDR: 100 test clouds hold one (${LOCK_DIR})`);
}
