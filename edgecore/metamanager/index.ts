export { EdgeStore } from './edge-store.js';
export type { Committed, DownstreamChange, EdgeStoreOptions, ObjectChange } from './edge-store.js';
export type { OutboxKind, OutboxRow } from './outbox.js';
export type { StoredObject } from './object-table.js';
export type { RevisionLog, Tombstone } from './revision-log.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export { createDebugServer } from './debug-server.js';
export type { DebugServer } from './debug-server.js';
export { moveEdgeDatabaseAside } from './reset-cache.js';
