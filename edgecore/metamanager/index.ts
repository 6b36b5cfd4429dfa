export { EdgeStore } from './edge-store.js';
export type { Committed, DownstreamChange, EdgeStoreOptions, ObjectChange } from './edge-store.js';
export type { OutboxKind, OutboxRow } from './outbox.js';
export type { EdgeEvent, EventSubject } from './event-recorder.js';
export type { StoredObject } from './object-table.js';
export type { RevisionLog, Tombstone } from './revision-log.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export { moveEdgeDatabaseAside } from './reset-cache.js';
export type { HubAddressTable } from './hub-address-table.js';
