import { z } from 'zod';
import { jsonColumn, optionalRow, rowParser } from '../../shared/sqlite-rows.js';
import type { EdgeStore } from '../metamanager/index.js';

/** A twin value as KubeEdge keeps it: a string, with string metadata (`timestamp`, `type`, …). */
export interface TwinValue {
  value: string;
  metadata: Record<string, string>;
}

/** One property of one device, as the edge holds it (docs/device-twins.md § The twin model). */
export interface TwinRecord {
  property: string;
  expected?: TwinValue;
  actual?: TwinValue;
  /** The property's type (the DeviceModel's, or what the device said), for `metadata.type`. */
  type?: string;
  /** 1 when the property first exists here, +1 on every change of expected or actual. */
  version: number;
  updatedAt: number;
}

export const DEVICE_STATES = ['online', 'offline', 'ok', 'unhealthy', 'unknown'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export interface DeviceStateRecord {
  state: DeviceState;
  /** RFC 3339: when the device last said anything about its state. */
  lastOnlineTime: string;
}

export interface DeviceRef {
  namespace: string;
  name: string;
}

// The rows of device_twins and device_states (metamanager/migrations.ts version 4), parsed at every read.
const metadataColumn = jsonColumn(z.record(z.string(), z.string())).nullable();
const parseTwinRow = rowParser(
  'device_twins',
  z.object({
    property: z.string(),
    expected_value: z.string().nullable(),
    expected_metadata: metadataColumn,
    actual_value: z.string().nullable(),
    actual_metadata: metadataColumn,
    type: z.string().nullable(),
    version: z.number().int().positive(),
    updated_at: z.number().int(),
  }),
);
const parseStateRow = rowParser('device_states', z.object({ state: z.enum(DEVICE_STATES), last_online_time: z.string() }));
const parseDeviceRefRow = rowParser('device_twins', z.object({ namespace: z.string(), device: z.string() }));

function valueOf(value: string | null, metadata: Record<string, string> | null): TwinValue | undefined {
  return value === null ? undefined : { value, metadata: metadata ?? {} };
}

/** The twin rows of edge.db. Writes are meant to run inside the caller's transaction. */
export class TwinTable {
  private readonly selectTwins;
  private readonly upsertTwin;
  private readonly deleteTwin;
  private readonly deleteTwins;
  private readonly selectState;
  private readonly upsertState;
  private readonly deleteState;
  private readonly selectDevices;

  constructor(store: EdgeStore) {
    const db = store.db;
    this.selectTwins = db.prepare<[string, string]>('SELECT * FROM device_twins WHERE namespace = ? AND device = ? ORDER BY property');
    this.upsertTwin = db.prepare(
      `INSERT INTO device_twins (namespace, device, property, expected_value, expected_metadata, actual_value, actual_metadata, type, version, updated_at)
       VALUES (@namespace, @device, @property, @expectedValue, @expectedMetadata, @actualValue, @actualMetadata, @type, @version, @updatedAt)
       ON CONFLICT (namespace, device, property) DO UPDATE SET expected_value = excluded.expected_value, expected_metadata = excluded.expected_metadata,
         actual_value = excluded.actual_value, actual_metadata = excluded.actual_metadata, type = excluded.type, version = excluded.version,
         updated_at = excluded.updated_at`,
    );
    this.deleteTwin = db.prepare<[string, string, string]>('DELETE FROM device_twins WHERE namespace = ? AND device = ? AND property = ?');
    this.deleteTwins = db.prepare<[string, string]>('DELETE FROM device_twins WHERE namespace = ? AND device = ?');
    this.selectState = db.prepare<[string, string]>('SELECT state, last_online_time FROM device_states WHERE namespace = ? AND device = ?');
    this.upsertState = db.prepare(
      `INSERT INTO device_states (namespace, device, state, last_online_time) VALUES (@namespace, @device, @state, @lastOnlineTime)
       ON CONFLICT (namespace, device) DO UPDATE SET state = excluded.state, last_online_time = excluded.last_online_time`,
    );
    this.deleteState = db.prepare<[string, string]>('DELETE FROM device_states WHERE namespace = ? AND device = ?');
    this.selectDevices = db.prepare<[]>('SELECT DISTINCT namespace, device FROM device_twins UNION SELECT namespace, device FROM device_states');
  }

  /** property → record, in property order. */
  twins(device: DeviceRef): Map<string, TwinRecord> {
    const out = new Map<string, TwinRecord>();
    for (const raw of this.selectTwins.all(device.namespace, device.name)) {
      const row = parseTwinRow(raw);
      const expected = valueOf(row.expected_value, row.expected_metadata);
      const actual = valueOf(row.actual_value, row.actual_metadata);
      out.set(row.property, {
        property: row.property,
        ...(expected === undefined ? {} : { expected }),
        ...(actual === undefined ? {} : { actual }),
        ...(row.type === null ? {} : { type: row.type }),
        version: row.version,
        updatedAt: row.updated_at,
      });
    }
    return out;
  }

  write(device: DeviceRef, record: TwinRecord): void {
    this.upsertTwin.run({
      namespace: device.namespace,
      device: device.name,
      property: record.property,
      expectedValue: record.expected?.value ?? null,
      expectedMetadata: record.expected === undefined ? null : JSON.stringify(record.expected.metadata),
      actualValue: record.actual?.value ?? null,
      actualMetadata: record.actual === undefined ? null : JSON.stringify(record.actual.metadata),
      type: record.type ?? null,
      version: record.version,
      updatedAt: record.updatedAt,
    });
  }

  removeProperty(device: DeviceRef, property: string): void {
    this.deleteTwin.run(device.namespace, device.name, property);
  }

  /** Forgets a device's twins and state (the Device left this node). */
  removeDevice(device: DeviceRef): void {
    this.deleteTwins.run(device.namespace, device.name);
    this.deleteState.run(device.namespace, device.name);
  }

  state(device: DeviceRef): DeviceStateRecord | undefined {
    const row = optionalRow(parseStateRow, this.selectState.get(device.namespace, device.name));
    return row === undefined ? undefined : { state: row.state, lastOnlineTime: row.last_online_time };
  }

  setState(device: DeviceRef, record: DeviceStateRecord): void {
    this.upsertState.run({ namespace: device.namespace, device: device.name, state: record.state, lastOnlineTime: record.lastOnlineTime });
  }

  /** Every device that has twin rows or a state. */
  devices(): DeviceRef[] {
    return this.selectDevices.all().map((raw) => {
      const row = parseDeviceRefRow(raw);
      return { namespace: row.namespace, name: row.device };
    });
  }
}
