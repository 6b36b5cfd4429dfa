import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateAuthority } from '../../certs/index.js';
import { CLUSTER_SECRET_FILE, readClusterIdentity, type ClusterIdentity } from '../../cloudcore/identity/index.js';
import { createSqliteStore } from '../../cloudcore/storage/index.js';

/**
 * The cluster identity of a real cloudcore data folder (SQLite datastore), opened with the secret
 * the cloudcore kept in <D>/cloud/cluster-secret (docs/identity.md): how tests sign node
 * certificates with the cluster CA now that its key is no longer a file in pki/.
 */
export async function readClusterIdentityOf(cloudDataDir: string, secretFile = join(cloudDataDir, 'cloud', CLUSTER_SECRET_FILE)): Promise<ClusterIdentity> {
  const store = createSqliteStore({ file: join(cloudDataDir, 'cloud', 'state.db') });
  await store.start(new AbortController().signal);
  try {
    const identity = await readClusterIdentity(store, readFileSync(secretFile, 'utf8').trim());
    if (!identity.ok) throw new Error(`cluster identity of ${cloudDataDir}: ${identity.message}`);
    return identity.value;
  } finally {
    await store.stop();
  }
}

/** The cluster CA (certificate and signing key) of a real cloudcore data folder. */
export async function readClusterCa(cloudDataDir: string): Promise<CertificateAuthority> {
  return (await readClusterIdentityOf(cloudDataDir)).ca;
}
