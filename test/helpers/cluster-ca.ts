import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateAuthority } from '../../certs/index.js';
import { cloudConfigSchema } from '../../cloudcore/config.js';
import { CLUSTER_SECRET_FILE, readClusterIdentity, type ClusterIdentity } from '../../cloudcore/identity/index.js';
import { openStore } from '../../cloudcore/storage/index.js';
import { silentLogger } from '../../shared/logging.js';

export interface ClusterIdentityOptions {
  /** The cloud's `--datastore-endpoint` when it runs on etcd; SQLite in its data folder otherwise. */
  datastoreEndpoint?: string;
  /** Default: the secret the cloudcore kept in <D>/cloud/cluster-secret. */
  secretFile?: string;
}

/**
 * The cluster identity of a real cloudcore, opened through the same Store the cloudcore uses and
 * the secret it kept in its data folder (docs/identity.md): how tests sign node certificates
 * with the cluster CA now that its key is no longer a file in pki/.
 */
export async function readClusterIdentityOf(cloudDataDir: string, options: ClusterIdentityOptions = {}): Promise<ClusterIdentity> {
  const stateDb = join(cloudDataDir, 'cloud', 'state.db');
  if (options.datastoreEndpoint === undefined && !existsSync(stateDb)) {
    throw new Error(`${cloudDataDir} has no state.db: a cloud on etcd needs { datastoreEndpoint }`);
  }
  const config = cloudConfigSchema.parse({ dataDir: cloudDataDir, ...(options.datastoreEndpoint ? { storage: { datastoreEndpoint: options.datastoreEndpoint } } : {}) });
  const { store } = await openStore(config, { stateDb }, silentLogger());
  await store.start(new AbortController().signal);
  try {
    const secret = readFileSync(options.secretFile ?? join(cloudDataDir, 'cloud', CLUSTER_SECRET_FILE), 'utf8').trim();
    const identity = await readClusterIdentity(store, secret);
    if (!identity.ok) throw new Error(`cluster identity of ${cloudDataDir}: ${identity.message}`);
    return identity.value;
  } finally {
    await store.stop();
  }
}

/** The cluster CA (certificate and signing key) of a real cloudcore. */
export async function readClusterCa(cloudDataDir: string, options: ClusterIdentityOptions = {}): Promise<CertificateAuthority> {
  return (await readClusterIdentityOf(cloudDataDir, options)).ca;
}

/**
 * The flags that make another cloudcore on the same datastore part of this cloudcore's cluster:
 * the secret the first one made (docs/identity.md § The cluster secret).
 */
export function sameClusterArgs(firstCloudDataDir: string): string[] {
  return ['--cluster-secret-file', join(firstCloudDataDir, 'cloud', CLUSTER_SECRET_FILE)];
}
