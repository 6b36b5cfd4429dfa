import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from '../../certs/files.js';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/**
 * The key service-account tokens are signed with: one EC P-256 key in the cloud's PKI folder
 * (`sa.key`, kubeadm's name, PKCS#8 PEM, mode 0600), made at first start and read back after
 * every restart, so tokens issued before a restart stay valid (docs/service-accounts.md § Signing key).
 */
export const SERVICE_ACCOUNT_KEY_FILE = 'sa.key';

export interface ServiceAccountSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The JWT `kid`: base64url of the SHA-256 of the public key's PKIX DER, as kube-apiserver computes it. */
  keyId: string;
}

/** A signing key from a private key (a fresh one when none is given): tests and the loader share it. */
export function signingKeyFrom(privateKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey): ServiceAccountSigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, keyId: createHash('sha256').update(der).digest('base64url') };
}

/** Parses a PEM private key and checks it is EC P-256 (the only curve ES256 signs with). */
export function parseSigningKey(pem: string): Result<ServiceAccountSigningKey, 'Invalid'> {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    return fail('Invalid', `cannot read the service-account signing key: ${errorMessage(err)}`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return fail('Invalid', 'the service-account signing key is not an EC P-256 key');
  }
  return ok(signingKeyFrom(key));
}

/**
 * Reads `<pkiDir>/sa.key`, or makes and writes it when absent. A key that exists but cannot be
 * used is reported, never replaced: replacing it would silently invalidate every token out there.
 */
export async function ensureServiceAccountSigningKey(pkiDir: string): Promise<Result<ServiceAccountSigningKey & { created: boolean }, 'Invalid'>> {
  const file = join(pkiDir, SERVICE_ACCOUNT_KEY_FILE);
  const existing = await readOptionalFile(file);
  if (existing !== undefined) {
    const parsed = parseSigningKey(existing);
    if (!parsed.ok) return fail('Invalid', `${file}: ${parsed.message}`);
    return ok({ ...parsed.value, created: false });
  }
  const key = signingKeyFrom();
  await writeFileAtomic(file, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), SECRET_FILE_MODE);
  return ok({ ...key, created: true });
}
