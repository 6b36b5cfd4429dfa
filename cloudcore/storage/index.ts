export type {
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  StoreErrorCode,
  StoreResult,
  WatchEvent,
  WatchEventType,
  WatchOptions,
} from './types.js';
export type { AutoCompactionOptions } from './auto-compaction.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { backupSqlite } from './sqlite/backup.js';
export { createEtcdStore, type EtcdStoreOptions, type EtcdTls, type EtcdCompactionOptions } from './etcd/index.js';
export { openStore, type OpenedStore } from './open-store.js';
