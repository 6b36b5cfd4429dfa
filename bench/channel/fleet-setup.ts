import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readClusterCa } from '../shared/index.js';
import type { Fleet } from './fleet.js';
import type { WorkerConfig } from './fleet-messages.js';
import { sharedNodeKeyPem } from './node-certificates.js';

/**
 * Forks the hollow-edge workers for `nodes` and has them sign their node certificates with the
 * cluster CA of the cloudcore in `cloudDataDir` (on etcd when `datastoreEndpoint` is given). The
 * CA key lives sealed in the datastore (docs/identity.md): it is handed to the workers as files in
 * the benchmark's own folder `dir`. Resolves with the signing time.
 */
export async function startFleet(fleet: Fleet, opts: { dir: string; cloudDataDir: string; datastoreEndpoint?: string; nodes: string[]; workers: number; dialConcurrency: number }): Promise<number> {
  const sharedKeyFile = join(opts.dir, 'shared-node.key');
  await writeFile(sharedKeyFile, sharedNodeKeyPem(), { mode: 0o600 });
  const clusterCa = await readClusterCa(opts.cloudDataDir, opts.datastoreEndpoint);
  if (!clusterCa.ok) throw new Error(clusterCa.message);
  const caCertFile = join(opts.dir, 'ca.crt');
  const caKeyFile = join(opts.dir, 'ca.key');
  await writeFile(caCertFile, clusterCa.value.certPem);
  await writeFile(caKeyFile, clusterCa.value.keyPem, { mode: 0o600 });
  const configs: WorkerConfig[] = Array.from({ length: opts.workers }, (_, w) => ({
    nodes: opts.nodes.filter((_n, i) => i % opts.workers === w),
    caCertFile,
    caKeyFile,
    sharedKeyFile,
    dialConcurrency: opts.dialConcurrency,
  }));
  return (await fleet.start(configs, 120_000 + opts.nodes.length * 30)).certMs;
}
