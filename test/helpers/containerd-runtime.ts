import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedContainerd, teardownContainerd, type EmbeddedContainerd } from '../../edgecore/edged/containerd/index.js';
import { createCriClient, type CriClient } from '../../edgecore/edged/cri/index.js';
import { buildLocalImages, importImageArchive, PAUSE_IMAGE } from '../../edgecore/edged/images/index.js';
import { silentLogger } from '../../shared/logging.js';
import { reserveSubnet24, type SubnetLease } from '../../bench/shared/index.js';

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

/**
 * Subnets of test runtimes: 10.201.X.0/24, one per runtime so that parallel workers never share
 * a bridge address, disjoint from the other ranges of bench/shared/subnet-reservation.ts.
 */
const TEST_SUBNET_PREFIX = '10.201';
const LOCK_DIR = join(tmpdir(), 'outpost-podcidr-locks');

function reserveTestSubnet(): SubnetLease {
  const lease = reserveSubnet24(TEST_SUBNET_PREFIX, LOCK_DIR);
  if (!lease.ok) throw new Error(`no test pod subnet: ${lease.message}`);
  return lease.value;
}

/**
 * Starts an embedded containerd in a fresh temp edge folder, waits until it answers, and imports
 * outpost.local/busybox:1 and outpost.local/pause:1 into its k8s.io namespace.
 */
export async function startTestRuntime(options: { podCidr?: string; edgeDir?: string } = {}): Promise<TestRuntime> {
  const reserved = options.podCidr === undefined ? reserveTestSubnet() : undefined;
  const podCidr = options.podCidr ?? reserved?.cidr ?? '';
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

/** A CRI client of the test runtime, once it answers (the caller closes it). */
export async function connectCri(runtime: TestRuntime): Promise<CriClient> {
  const client = createCriClient({ endpoint: runtime.endpoint });
  const ready = await client.waitReady(AbortSignal.timeout(30_000), 30_000);
  if (!ready.ok) {
    client.close();
    throw new Error(`the test runtime's CRI does not answer: ${ready.message}`);
  }
  return client;
}
