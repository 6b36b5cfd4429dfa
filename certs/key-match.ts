/**
 * Whether a certificate and a private key belong together, with node:crypto only: the edge checks
 * its pair at every start, and this keeps @peculiar/x509 out of an edge that issues nothing.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

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
