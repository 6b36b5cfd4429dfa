import { readFile } from 'node:fs/promises';
import { OutpostError, errorMessage } from '../../shared/errors.js';
import type { HealthCheck } from '../../shared/apimachinery/endpoints/health.js';
import type { Logger } from '../../shared/logging.js';
import type { CloudConfig } from '../config.js';
import { parseDatastoreEndpoint } from './etcd/datastore-endpoint.js';
import { createEtcdStore, type EtcdTls } from './etcd/etcd-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export interface OpenedStore {
  store: Store;
  /** Checks /readyz adds for this backend (`etcd` on etcd, as kube-apiserver). */
  readyChecks: HealthCheck[];
}

/**
 * The Store the config asks for (docs/datastore.md): SQLite in the data folder by default, etcd
 * with `--datastore-endpoint`. Both compact on the same schedule.
 */
export async function openStore(config: CloudConfig, paths: { stateDb: string }, logger: Logger): Promise<OpenedStore> {
  const storage = config.storage;
  const compaction = { intervalMs: storage.compactIntervalSeconds * 1000, keepRevisions: storage.keepRevisions };
  const storeLogger = logger.child({ module: 'storage' });
  if (storage.datastoreEndpoint === undefined) {
    return { store: createSqliteStore({ file: paths.stateDb, logger: storeLogger, compaction }), readyChecks: [] };
  }
  const tls = storage.datastoreCAFile === undefined ? undefined : await readTls(storage);
  const parsed = parseDatastoreEndpoint(storage.datastoreEndpoint, tls !== undefined);
  if (!parsed.ok) throw new OutpostError('ConfigInvalid', `storage.datastoreEndpoint: ${parsed.message}`);
  const store = createEtcdStore({
    endpoints: parsed.endpoints,
    prefix: storage.datastorePrefix,
    logger: storeLogger,
    compaction,
    pipelineWrites: storage.datastoreWriteOrder === 'key',
    ...(tls ? { tls } : {}),
  });
  return { store, readyChecks: [{ name: 'etcd', check: () => store.healthy() }] };
}

async function readTls(storage: CloudConfig['storage']): Promise<EtcdTls> {
  const read = async (field: string, file: string | undefined): Promise<Buffer | undefined> => {
    if (file === undefined) return undefined;
    try {
      return await readFile(file);
    } catch (err) {
      throw new OutpostError('ConfigInvalid', `storage.${field}: cannot read ${file}: ${errorMessage(err)}`, { cause: err });
    }
  };
  const ca = await read('datastoreCAFile', storage.datastoreCAFile);
  const cert = await read('datastoreCertFile', storage.datastoreCertFile);
  const key = await read('datastoreKeyFile', storage.datastoreKeyFile);
  if (ca === undefined) throw new OutpostError('ConfigInvalid', 'storage.datastoreCAFile is required for TLS');
  return { ca, ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
