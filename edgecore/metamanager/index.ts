export { EdgeStore } from './edge-store.js';
export type { Committed, DownstreamChange } from './edge-store.js';
export type { OutboxKind, OutboxRow } from './outbox.js';
export type { StoredObject } from './object-table.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export { createDebugServer } from './debug-server.js';
export type { DebugServer } from './debug-server.js';
