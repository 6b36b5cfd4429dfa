import { z } from 'zod';
import type { Result } from '../../../shared/errors.js';
import type { FieldSet } from './field-set.js';
import { decodeFieldsV1, toFieldsV1 } from './fields-v1.js';

/** One metadata.managedFields entry: who owns which fields, and through which operation. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  /** RFC 3339, second precision. */
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

const entrySchema = z
  .object({
    manager: z.string().optional(),
    operation: z.enum(['Apply', 'Update']),
    apiVersion: z.string().optional(),
    time: z.string().optional(),
    fieldsType: z.literal('FieldsV1').optional(),
    fieldsV1: z.unknown().optional(),
    subresource: z.string().optional(),
  })
  .loose();

/**
 * Entries by manager identity. Stored (or client-sent) entries are checked with zod; a broken
 * list is reported, and callers fall back as Kubernetes does. Later duplicates win.
 */
export function decodeManagedFields(raw: unknown): Result<ManagerEntry[]> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  const parsed = z.array(entrySchema).safeParse(raw);
  if (!parsed.success) return { ok: false, code: 'BadRequest', message: `invalid managedFields: ${parsed.error.issues[0]?.message ?? 'malformed'}` };
  const byKey = new Map<string, ManagerEntry>();
  for (const item of parsed.data) {
    const fields = decodeFieldsV1(item.fieldsV1 ?? {});
    if (!fields.ok) return fields;
    const entry: ManagerEntry = { manager: item.manager ?? '', operation: item.operation, apiVersion: item.apiVersion ?? '', fields: fields.value };
    if (item.time !== undefined) entry.time = item.time;
    if (item.subresource !== undefined && item.subresource !== '') entry.subresource = item.subresource;
    byKey.set(managerKey(entry), entry);
  }
  return { ok: true, value: [...byKey.values()] };
}

/** An empty list, or a single empty entry, asks to clear managedFields (Kubernetes' reset rule). */
export function isResetRequest(raw: unknown): boolean {
  if (!Array.isArray(raw)) return false;
  if (raw.length === 0) return true;
  const only: unknown = raw[0];
  return raw.length === 1 && typeof only === 'object' && only !== null && Object.keys(only).length === 0;
}

/**
 * The identity of a manager: an applier is the same manager whatever apiVersion it applies
 * with; an updater is one per apiVersion. Subresource writes are separate managers.
 */
export function managerKey(entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([entry.manager, entry.operation, entry.operation === 'Apply' ? '' : entry.apiVersion, entry.subresource ?? '']);
}

/** How conflict messages name a manager: `"kubectl-client-side-apply" using apps/v1`, `"other"`. */
export function describeManager(entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource !== undefined) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') text += ` using ${entry.apiVersion}`;
  return text;
}

/** The stored form, in Kubernetes' order: Apply before Update, then oldest first, then by name. */
export function encodeManagedFields(entries: readonly ManagerEntry[]): Record<string, unknown>[] {
  const sorted = [...entries].sort(
    (a, b) =>
      compare(a.operation, b.operation) ||
      seconds(a.time) - seconds(b.time) ||
      compare(a.manager, b.manager) ||
      compare(a.apiVersion, b.apiVersion) ||
      compare(a.subresource ?? '', b.subresource ?? ''),
  );
  return sorted.map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    ...(entry.time === undefined ? {} : { time: entry.time }),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(entry.fields),
    ...(entry.subresource === undefined ? {} : { subresource: entry.subresource }),
  }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function seconds(time: string | undefined): number {
  const ms = time === undefined ? Number.NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}
