import { z } from 'zod';
import { countRowSchema, rowParser } from '../../../shared/sqlite-rows.js';
import type { LogRow } from '../log-backend.js';

/**
 * state.db's rows (migrations.ts), parsed at every read like any other input
 * (shared/sqlite-rows.ts): the `log` table, its list shape (KeyValue) and `meta`.
 */

const revision = z.number().int().nonnegative();
const flag = z.union([z.literal(0), z.literal(1)]);

export const logRowSchema = z.object({
  id: revision,
  name: z.string(),
  created: flag,
  deleted: flag,
  create_revision: revision,
  prev_revision: revision,
  value: z.string(),
  old_value: z.string().nullable(),
});

/** A log row as the backend hands it on. */
export const parseLogRow = rowParser(
  'log',
  logRowSchema.transform(
    (record): LogRow => ({
      revision: record.id,
      key: record.name,
      created: record.created === 1,
      deleted: record.deleted === 1,
      createRevision: record.create_revision,
      prevRevision: record.prev_revision,
      value: record.value,
      prevValue: record.old_value ?? undefined,
    }),
  ),
);

/** Lists select straight into KeyValue's column names (sqlite-backend.ts KEY_VALUE_COLUMNS). */
export const parseKeyValueRow = rowParser('log', z.object({ key: z.string(), value: z.string(), createRevision: revision, modRevision: revision }));
export const parseMaxIdRow = rowParser('log', z.object({ id: revision.nullable() }));
export const parseLogCountRow = rowParser('log', countRowSchema);
export const parseMetaValueRow = rowParser('meta', z.object({ value: revision }));
