import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateDir, PUBLIC_FILE_MODE, readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from '../../certs/files.js';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

export interface ServingCert {
  certPem: string;
  keyPem: string;
  /** The file clients pin (`--certificate-authority`): the edge-local CA that signed the cert. */
  caFile: string;
}

const LIFETIME_DAYS = 365;
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

const LOOPBACK_IP = '127.0.0.1';

/** Whether the certificate names every address in an IP SAN (node:crypto's `IP Address:a.b.c.d`). */
function coversAddresses(certPem: string, addresses: readonly string[]): boolean {
  const names = (new X509Certificate(certPem).subjectAltName ?? '').split(',').map((name) => name.trim());
  return addresses.every((address) => names.includes(`IP Address:${address}`));
}

/**
 * MetaServer's TLS identity, for clients that send a bearer token: kubectl (client-go) never
 * sends one over plain HTTP, so reading secrets with the token needs HTTPS. A CA made for this
 * edge alone signs a serving certificate for 127.0.0.1/localhost, plus `podNetworkAddresses` (the
 * pod bridge's gateway, docs/edge-metaserver.md § Access); the CA's key is not kept (a new set is
 * made when the certificate nears its end, or must name an address it does not), so nothing else
 * can ever be signed with it.
 */
export async function ensureServingCert(pkiDir: string, now: Date = new Date(), podNetworkAddresses: readonly string[] = []): Promise<Result<ServingCert>> {
  const caFile = join(pkiDir, 'metaserver-ca.crt');
  const certFile = join(pkiDir, 'metaserver.crt');
  const keyFile = join(pkiDir, 'metaserver.key');
  try {
    const [certPem, keyPem, caPem] = await Promise.all([readOptionalFile(certFile), readOptionalFile(keyFile), readOptionalFile(caFile)]);
    if (certPem !== undefined && keyPem !== undefined && caPem !== undefined && Date.parse(new X509Certificate(certPem).validTo) - now.getTime() > RENEW_BEFORE_MS && coversAddresses(certPem, podNetworkAddresses)) {
      return ok({ certPem, keyPem, caFile });
    }
    await ensurePrivateDir(pkiDir);
    // Loaded only here, when a certificate is made: @peculiar/x509 costs an edge ~16 MiB of RSS.
    const { createCa, issueCertificate } = await import('../../certs/index.js');
    const ca = await createCa({ now: () => now });
    const issued = await issueCertificate({
      ca, subject: { commonName: 'outpost-metaserver' }, usages: 'server', ipAddresses: [LOOPBACK_IP, ...podNetworkAddresses.filter((a) => a !== LOOPBACK_IP)], dnsNames: ['localhost'],
      lifetimeDays: LIFETIME_DAYS, now: () => now,
    });
    if (!issued.ok) return issued;
    await writeFileAtomic(keyFile, issued.value.keyPem, SECRET_FILE_MODE);
    await writeFileAtomic(certFile, issued.value.certPem, PUBLIC_FILE_MODE);
    await writeFileAtomic(caFile, ca.certPem, PUBLIC_FILE_MODE);
    return ok({ certPem: issued.value.certPem, keyPem: issued.value.keyPem, caFile });
  } catch (err) {
    return fail('Unavailable', `cannot prepare MetaServer's serving certificate in ${pkiDir}: ${errorMessage(err)}`);
  }
}
