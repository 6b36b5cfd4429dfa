import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/**
 * The key service-account tokens are signed with: one EC P-256 key, part of the cluster identity
 * in the datastore (docs/service-accounts.md § Signing key). A data folder from before kept it as
 * `pki/sa.key` (kubeadm's name, PKCS#8 PEM), which the identity's upgrade reads.
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
