/**
 * Who a client certificate names, Kubernetes style: CN is the user, each O a group. The API
 * server reads this from the TLS peer certificate after the handshake has verified the chain.
 */
import type { PeerCertificate } from 'node:tls';
import { x509 } from './x509.js';
import { errorMessage, fail, ok, type Result } from '../shared/errors.js';
import type { CertificateIdentity, UserIdentity } from './types.js';

/** Reads CN/O/notAfter from a PEM or DER certificate. It does not verify the certificate. */
export function parseCertificateIdentity(pemOrDer: string | Uint8Array): Result<CertificateIdentity> {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(typeof pemOrDer === 'string' ? pemOrDer : Buffer.from(pemOrDer));
  } catch (err) {
    return fail('Invalid', `certificate cannot be parsed: ${errorMessage(err)}`);
  }
  const commonNames = cert.subjectName.getField('CN');
  const user = commonNames[0];
  // Several CNs would make the user ambiguous; Kubernetes' authenticator also refuses an empty one.
  if (commonNames.length !== 1 || user === undefined || user.length === 0) {
    return fail('Unauthorized', 'certificate subject must have exactly one non-empty CN');
  }
  return ok({ user, groups: cert.subjectName.getField('O'), notAfter: cert.notAfter });
}

/**
 * The identity in a peer certificate from tlsSocket.getPeerCertificate(). Node gives a single
 * attribute as a string and a repeated one as an array, so both shapes are accepted. Returns
 * undefined when there is no certificate (an empty object) or no single non-empty CN.
 */
export function identityFromPeerCertificate(peer: PeerCertificate | Record<string, never> | undefined): UserIdentity | undefined {
  const subject = peer?.subject as PeerCertificate['subject'] | undefined;
  if (subject === undefined || subject === null) return undefined;
  const commonNames = asList(subject.CN);
  const user = commonNames[0];
  if (commonNames.length !== 1 || user === undefined || user.length === 0) return undefined;
  return { user, groups: asList(subject.O) };
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
