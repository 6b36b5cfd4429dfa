import { silentLogger, type Logger } from '../../shared/logging.js';
import type { AutoCompactionOptions } from './auto-compaction.js';
import { createLogStore } from './log-store.js';
import { createMemoryBackend } from './memory-backend.js';
import type { Store } from './types.js';

export interface MemoryStoreOptions {
  logger?: Logger;
  compaction?: AutoCompactionOptions;
}

/** A Store kept in memory, with the same semantics as the SQLite store; for unit tests. */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  return createLogStore({
    name: 'memory-store',
    openBackend: createMemoryBackend,
    logger: options.logger ?? silentLogger(),
    ...(options.compaction ? { compaction: options.compaction } : {}),
  });
}
