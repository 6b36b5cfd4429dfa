/**
 * Private values of the cluster identity are sealed with the cluster secret before they reach the
 * datastore (docs/identity.md § Encryption): AES-256-GCM under a key derived from the secret with
 * HKDF-SHA256, a fresh random nonce for every value, and the value's name as additional data, so a
 * sealed value moved to another field does not open. A leading version byte lets the format change.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/errors.js';

export const SEALED_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Fixed HKDF salt and info: the secret itself carries the entropy; these only separate uses. */
const HKDF_SALT = Buffer.from('outpost cluster identity', 'utf8');
const HKDF_INFO = Buffer.from('outpost/identity/aes-256-gcm/v1', 'utf8');

/** The AES key for sealing, derived once from the cluster secret. */
export interface SealingKey {
  readonly key: Buffer;
}

export function deriveSealingKey(secret: string): SealingKey {
  const derived = hkdfSync('sha256', Buffer.from(secret, 'utf8'), HKDF_SALT, HKDF_INFO, KEY_BYTES);
  return { key: Buffer.from(derived) };
}

/** version ‖ nonce ‖ ciphertext ‖ tag, as base64. */
export function seal(sealingKey: SealingKey, name: string, plaintext: Buffer): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([SEALED_VERSION]), nonce, body, cipher.getAuthTag()]).toString('base64');
}

/**
 * Opens a sealed value. 'Invalid' for a value that is not in the sealed format (damaged), and
 * 'Unauthorized' when authentication fails: the wrong secret, a changed byte, or another name.
 */
export function unseal(sealingKey: SealingKey, name: string, sealed: string): Result<Buffer, 'Invalid' | 'Unauthorized'> {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES) return fail('Invalid', `sealed value ${name} is too short`);
  if (bytes[0] !== SEALED_VERSION) return fail('Invalid', `sealed value ${name} has unknown format version ${String(bytes[0])}`);
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', sealingKey.key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return ok(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch {
    // GCM says only "unable to authenticate": the caller words it (wrong secret vs tampering).
    return fail('Unauthorized', `sealed value ${name} does not authenticate`);
  }
}
