/**
 * The edge side of signing: a fresh P-256 key, made where it is used and never sent anywhere,
 * and a PKCS#10 request proving possession of it. The subject is a courtesy; the signer decides.
 */
import { webcrypto } from 'node:crypto';
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

export { certificateMatchesKey } from './key-match.js';
