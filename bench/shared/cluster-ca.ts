import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificateAuthority } from '../../certs/index.js';
import { CLUSTER_SECRET_FILE, readClusterIdentity } from '../../cloudcore/identity/index.js';
import { cloudConfigSchema } from '../../cloudcore/config.js';
import { openStore } from '../../cloudcore/storage/index.js';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import { silentLogger } from '../../shared/logging.js';

/**
 * The cluster CA of a benchmark's cloudcore data folder (SQLite datastore), opened with the secret
 * it kept in <D>/cloud/cluster-secret (docs/identity.md): benchmarks sign node certificates with it
 * as a join would, now that the CA key lives sealed in the datastore instead of pki/ca.key.
 * `datastoreEndpoint` names the etcd the cloudcore runs on (`--datastore-endpoint`) instead.
 */
export async function readClusterCa(cloudDataDir: string, datastoreEndpoint?: string): Promise<Result<CertificateAuthority>> {
  let secret: string;
  try {
    secret = (await readFile(join(cloudDataDir, 'cloud', CLUSTER_SECRET_FILE), 'utf8')).trim();
  } catch (err) {
    return fail('NotFound', `cannot read the cluster secret of ${cloudDataDir}: ${errorMessage(err)}`);
  }
  const config = cloudConfigSchema.parse({ dataDir: cloudDataDir, ...(datastoreEndpoint === undefined ? {} : { storage: { datastoreEndpoint } }) });
  const { store } = await openStore(config, { stateDb: join(cloudDataDir, 'cloud', 'state.db') }, silentLogger());
  await store.start(new AbortController().signal);
  try {
    const identity = await readClusterIdentity(store, secret);
    return identity.ok ? ok(identity.value.ca) : identity;
  } finally {
    await store.stop();
  }
}
