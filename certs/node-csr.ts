/**
 * The edge side of signing: a fresh P-256 key, made where it is used and never sent anywhere,
 * and a PKCS#10 request proving possession of it. The subject is a courtesy; the signer decides.
 */
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import { x509 } from './x509.js';
import { ECDSA_SHA256, generateKeyPair, privateKeyToPem } from './keys.js';

export interface KeyAndCsr {
  keyPem: string;
  csrPem: string;
}

export async function createKeyAndCsr(commonName: string, organizations: string[] = []): Promise<KeyAndCsr> {
  const keys = await generateKeyPair();
  const name = [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: ECDSA_SHA256 }, webcrypto);
  return { keyPem: await privateKeyToPem(keys.privateKey), csrPem: csr.toString('pem') };
}

/** True when the private key belongs to the certificate; false for anything unreadable. */
export function certificateMatchesKey(certPem: string, keyPem: string): boolean {
  try {
    const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
    return fromKey.equals(fromCert);
  } catch {
    // Unreadable PEM cannot match; the caller treats the pair as unusable.
    return false;
  }
}
