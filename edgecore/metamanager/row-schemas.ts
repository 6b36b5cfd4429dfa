import { z } from 'zod';
import { objectSchema } from '../../shared/protocol/index.js';
import { jsonColumn, rowParser } from '../../shared/sqlite-rows.js';

/**
 * edge.db's rows, one schema per table (migrations.ts), parsed at every read like any other
 * input (shared/sqlite-rows.ts). Reads of a few columns pick them from the table's schema.
 */

const revision = z.number().int().nonnegative();

export const objectRowSchema = z.object({
  uid: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  /** The cloud's resourceVersion (R8). */
  resource_version: z.string(),
  local_revision: revision,
  created_revision: revision,
  json: jsonColumn(objectSchema),
});
export const parseObjectRow = rowParser('objects', objectRowSchema);
export const parseInventoryRow = rowParser('objects', objectRowSchema.pick({ uid: true, resource_version: true }));
export const parseKindCountRow = rowParser('objects', z.object({ kind: z.string(), n: z.number().int().nonnegative() }));

export const outboxKindSchema = z.enum(['podStatus', 'podDelete', 'nodeStatus', 'lease', 'event', 'deviceStatus']);
export const outboxRowSchema = z.object({
  key: z.string(),
  seq: z.number().int().positive(),
  kind: outboxKindSchema,
  /** The upstream content without its seq. */
  payload: jsonColumn(z.record(z.string(), z.unknown())),
  attempts: z.number().int().nonnegative(),
  created_at: z.number().int(),
});
export const parsePendingOutboxRow = rowParser('outbox', outboxRowSchema.pick({ key: true, seq: true, kind: true, payload: true, attempts: true }));
export const parseOutboxAttemptsRow = rowParser('outbox', outboxRowSchema.pick({ attempts: true }));
export const parseOutboxKeyRow = rowParser('outbox', outboxRowSchema.pick({ key: true }));

export const syncStateRowSchema = z.object({ key: z.string(), value: z.string() });
export const parseSyncStateValueRow = rowParser('sync_state', syncStateRowSchema.pick({ value: true }));
/** A counter kept in sync_state (TEXT); `... + 1 RETURNING value` may hand it back as a number. */
export const parseSyncStateCounterRow = rowParser('sync_state', z.object({ value: z.coerce.number().int().nonnegative() }));

export const tombstoneRowSchema = z.object({
  revision,
  created_revision: revision,
  uid: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  json: jsonColumn(objectSchema),
});
export const parseTombstoneRow = rowParser('tombstones', tombstoneRowSchema);
export const parseTombstoneRevisionRow = rowParser('tombstones', tombstoneRowSchema.pick({ revision: true }));

export const eventSeriesRowSchema = z.object({
  key: z.string(),
  count: z.number().int().nonnegative(),
  first_timestamp: z.string(),
  last_timestamp: z.string(),
  updated_at: z.number().int(),
});
export const parseEventSeriesRow = rowParser('event_series', eventSeriesRowSchema.pick({ count: true, first_timestamp: true }));
