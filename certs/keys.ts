/**
 * ECDSA P-256 key handling over Node's WebCrypto. Private keys are stored as PKCS#8 PEM, which
 * Node's TLS, OpenSSL and Go's tls.X509KeyPair (kubectl) all read.
 */
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { x509 } from './x509.js';
import { errorMessage, fail, ok, type Result } from '../shared/errors.js';

export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** Signature algorithm for every certificate the CA signs (and for test CSRs). */
export const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
}

export async function privateKeyToPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/**
 * Imports a P-256 private key for signing. Accepts PKCS#8 and SEC1 ("EC PRIVATE KEY") PEM, since
 * an operator may hand us a key made by openssl; both are normalised to PKCS#8 through Node.
 */
export async function importSigningKey(pem: string): Promise<Result<webcrypto.CryptoKey>> {
  try {
    const keyObject = createPrivateKey(pem);
    if (keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      return fail('Invalid', 'private key is not an ECDSA P-256 key');
    }
    const der = keyObject.export({ type: 'pkcs8', format: 'der' });
    const key = await webcrypto.subtle.importKey('pkcs8', der, EC_P256, true, ['sign']);
    return ok(key);
  } catch (err) {
    return fail('Invalid', `cannot read private key: ${errorMessage(err)}`);
  }
}

/** True when the private key PEM belongs to the public key (SPKI DER) of a certificate. */
export function keyMatchesPublicKey(privateKeyPem: string, spkiDer: ArrayBuffer): boolean {
  try {
    const derived = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' });
    return derived.equals(Buffer.from(spkiDer));
  } catch {
    // An unreadable key cannot match anything; the caller then reports or replaces it.
    return false;
  }
}
