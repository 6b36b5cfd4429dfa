/**
 * edge.db's schema, as numbered migrations applied in order; PRAGMA user_version records the last
 * one applied. A migration is never edited once released: a change is a new entry.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'objects, outbox, sync state',
    sql: `
      CREATE TABLE objects (
        uid TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        resource_version TEXT NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX objects_by_name ON objects (kind, namespace, name);
      -- One row per object key (protocol.md R14); seq is unique and only ever grows.
      CREATE TABLE outbox (
        key TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
