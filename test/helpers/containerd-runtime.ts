import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedContainerd, teardownContainerd, type EmbeddedContainerd } from '../../edgecore/edged/containerd/index.js';
import { buildLocalImages, importImageArchive, PAUSE_IMAGE } from '../../edgecore/edged/images/index.js';
import { silentLogger } from '../../shared/logging.js';

/** A real containerd of its own for one test, with the local busybox and pause images imported. */
export interface TestRuntime {
  edgeDir: string;
  /** 'unix://' + socket, for CRI clients. */
  endpoint: string;
  socket: string;
  podCidr: string;
  containerd: EmbeddedContainerd;
  /**
   * Full cleanup: removes every container and pod sandbox of this containerd (with CNI DEL, so no
   * iptables rule or IP lease is left), terminates containerd and the shims, unmounts what is
   * left under its folders, deletes its bridge and cgroups, and removes the temp folder.
   */
  stop(): Promise<void>;
}

/** Image archives are built once and shared by every test on the machine. */
export const TEST_IMAGE_CACHE = join(tmpdir(), 'outpost-image-cache');

/** Subnets of test runtimes: 10.201.X.0/24, away from 10.42/16 (cloudcore's cluster CIDR) and 10.88/16 (CNI examples). */
const TEST_SUBNET_PREFIX = '10.201';
const LOCK_DIR = join(tmpdir(), 'outpost-podcidr-locks');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function subnetInUse(third: number): boolean {
  const prefix = `${TEST_SUBNET_PREFIX}.${third}.`;
  return Object.values(networkInterfaces()).some((addrs) => (addrs ?? []).some((a) => a.address.startsWith(prefix)));
}

/** Takes a lock file for one /24 so that test runtimes of parallel workers never share a subnet. */
function reserveSubnet(): { podCidr: string; release(): void } {
  mkdirSync(LOCK_DIR, { recursive: true });
  const start = (process.pid * 7) % 250;
  for (let i = 0; i < 250; i++) {
    const third = ((start + i) % 250) + 1;
    const lock = join(LOCK_DIR, `${third}.lock`);
    try {
      const holder = Number(readFileSync(lock, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && pidAlive(holder)) continue;
      rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (subnetInUse(third)) continue;
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return { podCidr: `${TEST_SUBNET_PREFIX}.${third}.0/24`, release: () => rmSync(lock, { force: true }) };
  }
  throw new Error('no free test pod subnet under 10.201.0.0/16');
}

/**
 * Starts an embedded containerd in a fresh temp edge folder, waits until it answers, and imports
 * outpost.local/busybox:1 and outpost.local/pause:1 into its k8s.io namespace.
 */
export async function startTestRuntime(options: { podCidr?: string; edgeDir?: string } = {}): Promise<TestRuntime> {
  const reserved = options.podCidr === undefined ? reserveSubnet() : undefined;
  const podCidr = options.podCidr ?? reserved?.podCidr ?? '';
  const tempRoot = options.edgeDir === undefined ? mkdtempSync(join(tmpdir(), 'outpost-ctrd-')) : undefined;
  const edgeDir = options.edgeDir ?? join(tempRoot ?? '', 'edges', 'node-1');
  mkdirSync(edgeDir, { recursive: true, mode: 0o700 });
  const containerd = createEmbeddedContainerd({ edgeDir, podCidr, pauseImage: PAUSE_IMAGE, logger: silentLogger(), restartBackoffMs: 200 });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      try {
        const result = await teardownContainerd(containerd);
        if (!result.ok) throw new Error(result.message);
      } finally {
        reserved?.release();
        if (tempRoot !== undefined) rmSync(tempRoot, { recursive: true, force: true });
      }
    })());
  try {
    await containerd.start(AbortSignal.timeout(60_000));
    const archives = await buildLocalImages(TEST_IMAGE_CACHE);
    if (!archives.ok) throw new Error(archives.message);
    for (const archive of [archives.value.busybox, archives.value.pause]) {
      const imported = await importImageArchive(containerd.layout.socket, archive);
      if (!imported.ok) throw new Error(imported.message);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { edgeDir, endpoint: containerd.endpoint(), socket: containerd.layout.socket, podCidr, containerd, stop };
}
