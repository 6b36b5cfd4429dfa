import { silentLogger, type Logger } from '../../../shared/logging.js';
import type { AutoCompactionOptions } from '../auto-compaction.js';
import { createLogStore } from '../log-store.js';
import type { Store } from '../types.js';
import { openDatabase } from './open-database.js';
import { createSqliteBackend } from './sqlite-backend.js';

export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder when missing). */
  file: string;
  logger?: Logger;
  /** Periodic compaction; an empty object takes K3s' defaults (every 5 minutes, keep 1000). */
  compaction?: AutoCompactionOptions;
}

/**
 * The default Store: a kine-style revision log in one SQLite file (WAL, synchronous=FULL).
 * start() opens the file, checks it and migrates it; it rejects with OutpostError('StoreCorrupt')
 * when the file is damaged.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const logger = options.logger ?? silentLogger();
  return createLogStore({
    name: 'sqlite-store',
    openBackend: () => createSqliteBackend(openDatabase(options.file)),
    logger,
    ...(options.compaction ? { compaction: options.compaction } : {}),
  });
}
