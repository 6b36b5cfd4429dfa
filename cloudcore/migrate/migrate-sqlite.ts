import { existsSync } from 'node:fs';
import { fail, ok, type Result } from '../../shared/errors.js';
import { silentLogger, type Logger } from '../../shared/logging.js';
import { cloudPaths } from '../main.js';
import { createSqliteStore, type Store } from '../storage/index.js';
import { checkCloudStopped } from './cloud-stopped.js';
import { copyStore, type CopySummary } from './copy-store.js';

export interface MigrateOptions {
  /** The stopped SQLite cluster's data directory (its cloud/state.db). */
  dataDir: string;
  /** The datastore to fill, not started yet (e.g. the etcd store of `--datastore-endpoint`). */
  target: Store;
  force: boolean;
  signal: AbortSignal;
  logger?: Logger;
  onProgress?: (copied: number) => void;
}

/**
 * `outpost cloud migrate` (docs/datastore.md § Moving a cluster from SQLite to etcd): checks the
 * cloudcore of dataDir is stopped, opens its state.db as a Store, copies every live key into the
 * target and verifies it, then stops both stores whatever happened.
 */
export async function migrateSqliteCluster(options: MigrateOptions): Promise<Result<CopySummary>> {
  const paths = cloudPaths(options.dataDir);
  if (!existsSync(paths.stateDb)) return fail('NotFound', `no state database at ${paths.stateDb}: is --data-dir right?`);
  const stopped = await checkCloudStopped(paths.endpoints);
  if (!stopped.ok) return stopped;

  const logger = options.logger ?? silentLogger();
  // No compaction option: the copy reads the source at one revision, which nothing may compact away.
  const source = createSqliteStore({ file: paths.stateDb, logger: logger.child({ store: 'source' }) });
  try {
    await source.start(options.signal);
    await options.target.start(options.signal);
    const copied = await copyStore(source, options.target, { force: options.force, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    return copied.ok ? ok(copied.value) : copied;
  } finally {
    await options.target.stop();
    await source.stop();
  }
}
