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
  {
    version: 2,
    description: 'edge-local revisions for MetaServer: per-object revisions, a counter, bounded tombstones',
    // The cloud's resourceVersion stays in resource_version (the inventory needs it); MetaServer
    // serves local_revision instead, because objects reach the edge out of the cloud's order.
    // Rows that exist before this migration take their rowid, and the counter starts above them.
    sql: `
      ALTER TABLE objects ADD COLUMN local_revision INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE objects ADD COLUMN created_revision INTEGER NOT NULL DEFAULT 0;
      UPDATE objects SET local_revision = rowid, created_revision = rowid;
      CREATE INDEX objects_by_kind_revision ON objects (kind, local_revision);
      -- A deleted object's last state, so a watch can resume across its deletion; trimmed to a
      -- bounded count, and the highest trimmed revision becomes the compacted revision (410 below it).
      CREATE TABLE tombstones (
        revision INTEGER PRIMARY KEY,
        created_revision INTEGER NOT NULL,
        uid TEXT NOT NULL,
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        json TEXT NOT NULL
      );
      CREATE INDEX tombstones_by_kind ON tombstones (kind, revision);
      INSERT INTO sync_state (key, value) SELECT 'objects.revision', CAST(COALESCE(MAX(rowid), 0) AS TEXT) FROM objects WHERE true
        ON CONFLICT (key) DO NOTHING;
    `,
  },
  {
    version: 3,
    description: 'event series: cumulative counts per (object, type, reason) for events sent upstream',
    // The count is cumulative so that a resent report never counts twice at the cloud (protocol.md
    // R25); rows older than the cloud's event TTL are trimmed, since their Event is gone too.
    sql: `
      CREATE TABLE event_series (
        key TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        first_timestamp TEXT NOT NULL,
        last_timestamp TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX event_series_by_age ON event_series (updated_at);
    `,
  },
  {
    version: 4,
    description: 'device twins: per device property expected and actual values with one version; device state',
    // The Device and DeviceModel objects stay in objects (they come down like any other object);
    // these rows are the edge's own twin state (docs/device-twins.md § The twin model). Values
    // and their metadata are KubeEdge's strings; metadata is a JSON object of strings.
    sql: `
      CREATE TABLE device_twins (
        namespace TEXT NOT NULL,
        device TEXT NOT NULL,
        property TEXT NOT NULL,
        expected_value TEXT,
        expected_metadata TEXT,
        actual_value TEXT,
        actual_metadata TEXT,
        type TEXT,
        version INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (namespace, device, property)
      );
      CREATE TABLE device_states (
        namespace TEXT NOT NULL,
        device TEXT NOT NULL,
        state TEXT NOT NULL,
        last_online_time TEXT NOT NULL,
        PRIMARY KEY (namespace, device)
      );
    `,
  },
  {
    version: 5,
    description: 'hub addresses: the cloudcores this edge may dial, as the cloud last listed them',
    // protocol.md R45: kept so that a restarted edge can fail over before any cloud answers it.
    sql: `
      CREATE TABLE hub_addresses (
        position INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        updated_at INTEGER NOT NULL
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
