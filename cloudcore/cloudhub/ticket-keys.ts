import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from '../../certs/files.js';
import { fail, ok, type Result } from '../../shared/errors.js';

/**
 * The keys CloudHub encrypts TLS session tickets with (docs/reconnect-storms.md § Ticket keys):
 * 48 random bytes (Node's `ticketKeys`: name, HMAC and AES keys), base64 in `<pki>/hub-tickets.key`
 * (0600), made at first start and read back after every restart so an edge resumes its session
 * with the restarted cloudcore. The cluster identity in the datastore is their long-term home.
 */
export const TICKET_KEYS_FILE = 'hub-tickets.key';
export const TICKET_KEYS_BYTES = 48;

const ticketKeysFileSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64')
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((keys) => keys.length === TICKET_KEYS_BYTES, `must hold ${TICKET_KEYS_BYTES} bytes`);

/** Reads the ticket keys, or makes and writes them when absent; a damaged file is reported, not replaced. */
export async function ensureTicketKeys(pkiDir: string): Promise<Result<Buffer, 'Invalid'>> {
  const file = join(pkiDir, TICKET_KEYS_FILE);
  const existing = await readOptionalFile(file);
  if (existing !== undefined) {
    const parsed = ticketKeysFileSchema.safeParse(existing);
    return parsed.success ? ok(parsed.data) : fail('Invalid', `${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const keys = randomBytes(TICKET_KEYS_BYTES);
  await writeFileAtomic(file, `${keys.toString('base64')}\n`, SECRET_FILE_MODE);
  return ok(keys);
}
