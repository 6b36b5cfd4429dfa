/**
 * The stored form of the cluster identity: one JSON value under IDENTITY_KEY, outside the API's
 * `/registry/` key space (docs/identity.md § Where it is stored). The CA certificate is public and
 * stored as is; every private value is sealed with the cluster secret (sealing.ts), and a sealed
 * check value tells a wrong secret apart from a damaged or altered record.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import { seal, unseal, type SealingKey } from './sealing.js';

export const IDENTITY_KEY = '/outpost/identity/cluster';
export const IDENTITY_RECORD_VERSION = 1;
/** TLS session ticket keys: Node's tls.Server takes exactly 48 bytes (name, HMAC key, AES key). */
export const TICKET_KEY_BYTES = 48;
const CHECK_PLAINTEXT = Buffer.from('outpost cluster identity', 'utf8');

export const WRONG_SECRET_MESSAGE = "the cluster secret does not match this datastore's identity";

/** The identity's material, as PEM and bytes. */
export interface IdentityMaterial {
  caCertPem: string;
  caKeyPem: string;
  serviceAccountKeyPem: string;
  ticketKeys: Buffer;
}

export type IdentityOrigin = 'created' | 'migrated';

const identityRecordSchema = z
  .object({
    version: z.literal(IDENTITY_RECORD_VERSION),
    origin: z.enum(['created', 'migrated']),
    createdAt: z.string(),
    caCertPem: z.string().min(1),
    sealed: z
      .object({
        check: z.string().min(1),
        caKey: z.string().min(1),
        serviceAccountKey: z.string().min(1),
        ticketKeys: z.string().min(1),
      })
      .strict(),
  })
  .strict();

type SealedField = keyof z.output<typeof identityRecordSchema>['sealed'];

/** Fresh ticket keys for a new identity. */
export function generateTicketKeys(): Buffer {
  return randomBytes(TICKET_KEY_BYTES);
}

/** The additional data of a sealed field: the record's key and the field's name. */
function sealedName(field: SealedField): string {
  return `${IDENTITY_KEY}#${field}`;
}

export function encodeIdentityRecord(key: SealingKey, material: IdentityMaterial, origin: IdentityOrigin, now: Date): string {
  const record: z.input<typeof identityRecordSchema> = {
    version: IDENTITY_RECORD_VERSION,
    origin,
    createdAt: now.toISOString(),
    caCertPem: material.caCertPem,
    sealed: {
      check: seal(key, sealedName('check'), CHECK_PLAINTEXT),
      caKey: seal(key, sealedName('caKey'), Buffer.from(material.caKeyPem, 'utf8')),
      serviceAccountKey: seal(key, sealedName('serviceAccountKey'), Buffer.from(material.serviceAccountKeyPem, 'utf8')),
      ticketKeys: seal(key, sealedName('ticketKeys'), material.ticketKeys),
    },
  };
  return JSON.stringify(record);
}

/**
 * Opens a stored record. 'Unauthorized' (WRONG_SECRET_MESSAGE) when the secret is not this
 * identity's; 'StoreCorrupt' when the record is damaged or a sealed field was altered.
 */
export function decodeIdentityRecord(
  key: SealingKey,
  value: string,
): Result<{ material: IdentityMaterial; origin: IdentityOrigin }, 'Unauthorized' | 'StoreCorrupt'> {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return fail('StoreCorrupt', `the cluster identity at ${IDENTITY_KEY} is not JSON`);
  }
  const record = identityRecordSchema.safeParse(json);
  if (!record.success) {
    return fail('StoreCorrupt', `the cluster identity at ${IDENTITY_KEY} is malformed: ${record.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const check = unseal(key, sealedName('check'), record.data.sealed.check);
  if (!check.ok && check.code === 'Unauthorized') return fail('Unauthorized', WRONG_SECRET_MESSAGE);
  if (!check.ok || !check.value.equals(CHECK_PLAINTEXT)) return fail('StoreCorrupt', `the cluster identity's check value is damaged`);
  const opened: Partial<Record<Exclude<SealedField, 'check'>, Buffer>> = {};
  for (const field of ['caKey', 'serviceAccountKey', 'ticketKeys'] as const) {
    const plain = unseal(key, sealedName(field), record.data.sealed[field]);
    // The check value opened, so the secret is right: a field that does not open was altered.
    if (!plain.ok) return fail('StoreCorrupt', `the cluster identity's ${field} was damaged or altered: ${plain.message}`);
    opened[field] = plain.value;
  }
  const { caKey, serviceAccountKey, ticketKeys } = opened;
  if (caKey === undefined || serviceAccountKey === undefined || ticketKeys === undefined) {
    return fail('StoreCorrupt', 'the cluster identity lacks a sealed field');
  }
  if (ticketKeys.length !== TICKET_KEY_BYTES) return fail('StoreCorrupt', `the cluster identity's ticket keys are not ${TICKET_KEY_BYTES} bytes`);
  return ok({
    material: { caCertPem: record.data.caCertPem, caKeyPem: caKey.toString('utf8'), serviceAccountKeyPem: serviceAccountKey.toString('utf8'), ticketKeys },
    origin: record.data.origin,
  });
}
