/**
 * Decides whether a certificate on disk must be issued again at start, as K3s does: when it
 * expires within 90 days, was not signed by the current CA, no longer matches its key, or does not
 * name what it must (serving hosts, admin identity).
 */
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { x509 } from './x509.js';
import { DAY_MS } from './certificate-fields.js';
import { keyMatchesPublicKey } from './keys.js';
import type { CertificateAndKey, CertificateAuthority, CertificateSubject } from './types.js';

/** K3s renews certificates that expire within 90 days. */
export const RENEW_WITHIN_DAYS = 90;

export interface RenewalCheck {
  ca: CertificateAuthority;
  now: Date;
  /** CN and O the certificate must carry exactly. */
  subject?: CertificateSubject;
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** Why the certificate must be issued again, or undefined when it can stay. */
export function reasonToReissue(existing: Partial<CertificateAndKey>, want: RenewalCheck): string | undefined {
  if (existing.certPem === undefined || existing.keyPem === undefined) return 'missing';
  let cert: x509.X509Certificate;
  let nodeCert: NodeX509Certificate;
  try {
    cert = new x509.X509Certificate(existing.certPem);
    nodeCert = new NodeX509Certificate(existing.certPem);
  } catch {
    // A certificate we cannot parse is as good as missing; the caller issues a new one.
    return 'unreadable';
  }
  if (!isSignedBy(nodeCert, want.ca)) return 'not signed by the current CA';
  if (!keyMatchesPublicKey(existing.keyPem, cert.publicKey.rawData)) return 'key does not match';
  if (cert.notBefore.getTime() > want.now.getTime()) return 'not yet valid';
  if (cert.notAfter.getTime() - want.now.getTime() < RENEW_WITHIN_DAYS * DAY_MS) {
    return `expires ${cert.notAfter.toISOString()}, within ${RENEW_WITHIN_DAYS} days`;
  }
  if (want.subject !== undefined && !subjectMatches(cert, want.subject)) return 'subject changed';
  const missing = uncoveredHosts(cert, nodeCert, want.dnsNames ?? [], want.ipAddresses ?? []);
  if (missing.length > 0) return `does not cover ${missing.join(', ')}`;
  return undefined;
}

function isSignedBy(cert: NodeX509Certificate, ca: CertificateAuthority): boolean {
  const caCert = new NodeX509Certificate(ca.certPem);
  return cert.checkIssued(caCert) && cert.verify(caCert.publicKey);
}

function subjectMatches(cert: x509.X509Certificate, subject: CertificateSubject): boolean {
  const cn = cert.subjectName.getField('CN');
  const orgs = [...cert.subjectName.getField('O')].sort();
  const wanted = [...(subject.organizations ?? [])].sort();
  return cn.length === 1 && cn[0] === subject.commonName && orgs.join('\n') === wanted.join('\n');
}

/** Names the certificate lacks. IPs are compared by Node (so ::1 matches 0:0:0:0:0:0:0:1). */
function uncoveredHosts(
  cert: x509.X509Certificate,
  nodeCert: NodeX509Certificate,
  dnsNames: string[],
  ipAddresses: string[],
): string[] {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const certDns = new Set(
    (san?.names.items ?? []).filter((n) => n.type === 'dns').map((n) => n.value.toLowerCase()),
  );
  const missingDns = dnsNames.filter((name) => !certDns.has(name.toLowerCase()));
  const missingIps = ipAddresses.filter((ip) => nodeCert.checkIP(ip) === undefined);
  return [...missingDns, ...missingIps];
}
