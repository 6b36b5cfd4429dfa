/**
 * The cloud's PKI folder: the cluster CA, the API serving certificate and the admin client
 * certificate that admin.kubeconfig embeds. Run at every start; it renews what is due.
 */
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { fail, ok, type Result } from '../shared/errors.js';
import { CA_CERT_FILE, ensureCa } from './ca.js';
import { ensurePrivateDir, PUBLIC_FILE_MODE, readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from './files.js';
import { isDnsName, issueCertificate } from './issue.js';
import { reasonToReissue } from './renewal.js';
import type { CertificateAndKey, CertificateAuthority, CertificateSubject, Clock } from './types.js';

export const SERVING_LIFETIME_DAYS = 365;
export const ADMIN_LIFETIME_DAYS = 365;
/** Names in-cluster clients use for the API, as in Kubernetes. */
export const KUBERNETES_SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];
export const ADMIN_SUBJECT: CertificateSubject = { commonName: 'system:admin', organizations: ['system:masters'] };

export interface CloudPkiOptions {
  /** DNS names and IP addresses the API is reached by, e.g. localhost, 127.0.0.1, ::1, hostname. */
  hosts: string[];
  now?: Clock;
  /**
   * The cluster CA when it is kept elsewhere (cloudcore keeps it in the datastore): only its
   * certificate is written to pki/ca.crt, for tools that read it. Without it, pki/ca.{crt,key}.
   */
  ca?: CertificateAuthority;
}

export interface CloudPki {
  ca: CertificateAuthority;
  serving: CertificateAndKey;
  admin: CertificateAndKey;
  /** What this call created or re-issued, and why, for the start-up log. */
  changes: Array<{ name: 'ca' | 'serving' | 'admin'; reason: string }>;
}

/** Default hosts for the serving certificate on this machine. */
export function defaultApiHosts(): string[] {
  return ['localhost', '127.0.0.1', '::1', hostname()];
}

export async function ensureCloudPki(pkiDir: string, opts: CloudPkiOptions): Promise<Result<CloudPki>> {
  const clock = opts.now ?? (() => new Date());
  const hosts = splitHosts(opts.hosts);
  if (!hosts.ok) return hosts;
  const ca = opts.ca === undefined ? await ensureCa(pkiDir, { now: clock }) : await publishCaCertificate(pkiDir, opts.ca);
  if (!ca.ok) return ca;
  const changes: CloudPki['changes'] = ca.value.created ? [{ name: 'ca', reason: 'created' }] : [];
  const { created: _created, ...authority } = ca.value;

  const serving = await ensureLeaf(pkiDir, 'serving', authority, clock, {
    subject: { commonName: 'outpost-apiserver' },
    usages: 'server',
    dnsNames: [...hosts.value.dnsNames, ...KUBERNETES_SERVICE_NAMES],
    ipAddresses: hosts.value.ipAddresses,
    lifetimeDays: SERVING_LIFETIME_DAYS,
  });
  if (!serving.ok) return serving;
  if (serving.value.reason !== undefined) changes.push({ name: 'serving', reason: serving.value.reason });

  const admin = await ensureLeaf(pkiDir, 'admin', authority, clock, {
    subject: ADMIN_SUBJECT,
    usages: 'client',
    lifetimeDays: ADMIN_LIFETIME_DAYS,
  });
  if (!admin.ok) return admin;
  if (admin.value.reason !== undefined) changes.push({ name: 'admin', reason: admin.value.reason });

  return ok({ ca: authority, serving: serving.value.pair, admin: admin.value.pair, changes });
}

/** Writes a CA kept elsewhere to pki/ca.crt (public) when the file differs. */
async function publishCaCertificate(pkiDir: string, ca: CertificateAuthority): Promise<Result<CertificateAuthority & { created: false }>> {
  await ensurePrivateDir(pkiDir);
  const file = join(pkiDir, CA_CERT_FILE);
  if ((await readOptionalFile(file)) !== ca.certPem) await writeFileAtomic(file, ca.certPem, PUBLIC_FILE_MODE);
  return ok({ ...ca, created: false });
}

interface LeafSpec {
  subject: CertificateSubject;
  usages: 'server' | 'client';
  dnsNames?: string[];
  ipAddresses?: string[];
  lifetimeDays: number;
}

/** Keeps <name>.crt/<name>.key when still good, else issues a fresh key and certificate. */
async function ensureLeaf(
  pkiDir: string,
  name: string,
  ca: CertificateAuthority,
  clock: Clock,
  spec: LeafSpec,
): Promise<Result<{ pair: CertificateAndKey; reason: string | undefined }>> {
  const certFile = join(pkiDir, `${name}.crt`);
  const keyFile = join(pkiDir, `${name}.key`);
  const existing = { certPem: await readOptionalFile(certFile), keyPem: await readOptionalFile(keyFile) };
  const reason = reasonToReissue(existing, { ca, now: clock(), ...spec });
  if (reason === undefined && existing.certPem !== undefined && existing.keyPem !== undefined) {
    return ok({ pair: { certPem: existing.certPem, keyPem: existing.keyPem }, reason: undefined });
  }
  const issued = await issueCertificate({ ca, now: clock, ...spec });
  if (!issued.ok) return issued;
  // Key first, then certificate: a crash in between leaves a mismatch that the next start repairs.
  await writeFileAtomic(keyFile, issued.value.keyPem, SECRET_FILE_MODE);
  await writeFileAtomic(certFile, issued.value.certPem, PUBLIC_FILE_MODE);
  return ok({ pair: { certPem: issued.value.certPem, keyPem: issued.value.keyPem }, reason: reason ?? 'missing' });
}

function splitHosts(hosts: string[]): Result<{ dnsNames: string[]; ipAddresses: string[] }> {
  const dnsNames = new Set<string>();
  const ipAddresses = new Set<string>();
  for (const raw of hosts) {
    const host = raw.trim();
    if (isIP(host) !== 0) ipAddresses.add(host);
    else if (isDnsName(host)) dnsNames.add(host.toLowerCase());
    else return fail('Invalid', `"${raw}" is neither a DNS name nor an IP address`);
  }
  return ok({ dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] });
}
