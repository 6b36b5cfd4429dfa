/**
 * Leaf certificates signed by the cluster CA: serving certificates, admin/user client
 * certificates and node certificates. Subject, usages and lifetime always come from the caller,
 * never from a requester (docs/architecture.md § The flows, 3. Join).
 */
import { createPublicKey, KeyObject, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { x509 } from './x509.js';
import { errorMessage, fail, ok, type Result } from '../shared/errors.js';
import { isValidLifetimeDays, randomSerialNumber, subjectName, validityWindow } from './certificate-fields.js';
import { ECDSA_SHA256, generateKeyPair, privateKeyToPem } from './keys.js';
import type { CertificateAuthority, CertificateSubject, CertificateUsages, Clock } from './types.js';

/** A public key as SPKI PEM, a WebCrypto key, or a parsed @peculiar/x509 key (e.g. from a CSR). */
export type PublicKeyInput = string | webcrypto.CryptoKey | x509.PublicKey;

export interface IssueCertificateOptions {
  ca: CertificateAuthority;
  subject: CertificateSubject;
  usages: CertificateUsages;
  dnsNames?: string[];
  ipAddresses?: string[];
  lifetimeDays: number;
  now?: Clock;
}

export interface IssuedCertificate {
  certPem: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

export interface IssuedCertificateWithKey extends IssuedCertificate {
  keyPem: string;
}

/** Without a public key a fresh P-256 key pair is made and its private key returned too. */
export function issueCertificate(
  opts: IssueCertificateOptions & { publicKey?: undefined },
): Promise<Result<IssuedCertificateWithKey>>;
export function issueCertificate(
  opts: IssueCertificateOptions & { publicKey: PublicKeyInput },
): Promise<Result<IssuedCertificate>>;
export async function issueCertificate(
  opts: IssueCertificateOptions & { publicKey?: PublicKeyInput },
): Promise<Result<IssuedCertificate | IssuedCertificateWithKey>> {
  if (opts.publicKey !== undefined) {
    const publicKey = toPublicKey(opts.publicKey);
    if (!publicKey.ok) return publicKey;
    return signLeaf(opts, publicKey.value);
  }
  const keys = await generateKeyPair();
  const signed = await signLeaf(opts, new x509.PublicKey(await webcrypto.subtle.exportKey('spki', keys.publicKey)));
  if (!signed.ok) return signed;
  return ok({ ...signed.value, keyPem: await privateKeyToPem(keys.privateKey) });
}

async function signLeaf(opts: IssueCertificateOptions, publicKey: x509.PublicKey): Promise<Result<IssuedCertificate>> {
  const checked = checkRequest(opts, publicKey);
  if (!checked.ok) return checked;
  const now = (opts.now ?? (() => new Date()))();
  const { notBefore, notAfter } = validityWindow(now, opts.lifetimeDays, opts.ca.certificate.notAfter);
  try {
    const certificate = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerialNumber(),
        subject: subjectName(opts.subject),
        issuer: opts.ca.certificate.subjectName,
        notBefore,
        notAfter,
        publicKey,
        signingKey: opts.ca.privateKey,
        signingAlgorithm: ECDSA_SHA256,
        extensions: await leafExtensions(opts, publicKey),
      },
      webcrypto,
    );
    // Read the dates back: the certificate holds whole seconds.
    return ok({
      certPem: certificate.toString('pem'),
      serialNumber: certificate.serialNumber,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
    });
  } catch (err) {
    return fail('Invalid', `cannot sign certificate for ${opts.subject.commonName}: ${errorMessage(err)}`);
  }
}

async function leafExtensions(opts: IssueCertificateOptions, publicKey: x509.PublicKey): Promise<x509.Extension[]> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // ECDSA keys sign the handshake; keyEncipherment only matters for RSA key transport.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(extendedKeyUsages(opts.usages), false),
    await x509.AuthorityKeyIdentifierExtension.create(opts.ca.certificate, false, webcrypto),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webcrypto),
  ];
  const names: x509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  return extensions;
}

function extendedKeyUsages(usages: CertificateUsages): x509.ExtendedKeyUsage[] {
  switch (usages) {
    case 'server':
      return [x509.ExtendedKeyUsage.serverAuth];
    case 'client':
      return [x509.ExtendedKeyUsage.clientAuth];
    case 'both':
      return [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  }
}

function checkRequest(opts: IssueCertificateOptions, publicKey: x509.PublicKey): Result<void> {
  if (opts.subject.commonName.length === 0) return fail('Invalid', 'commonName must not be empty');
  if (!isValidLifetimeDays(opts.lifetimeDays)) {
    return fail('Invalid', `lifetimeDays must be a positive number, got ${opts.lifetimeDays}`);
  }
  for (const ip of opts.ipAddresses ?? []) {
    if (isIP(ip) === 0) return fail('Invalid', `"${ip}" is not an IP address`);
  }
  for (const name of opts.dnsNames ?? []) {
    if (!isDnsName(name)) return fail('Invalid', `"${name}" is not a DNS name`);
  }
  return checkKeyAlgorithm(publicKey);
}

/** Letters, digits, '-', '.', and a leading '*.' wildcard; no empty labels. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.startsWith('*.') ? name.slice(2).split('.') : name.split('.');
  return labels.every((label) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label));
}

/** We sign only keys a TLS peer can use safely: EC P-256/P-384 or RSA of 2048 bits and more. */
function checkKeyAlgorithm(publicKey: x509.PublicKey): Result<void> {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey.rawData), format: 'der', type: 'spki' });
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === 'ec' && (details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1')) {
      return ok(undefined);
    }
    if (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048) return ok(undefined);
    return fail('Invalid', `unsupported public key (${key.asymmetricKeyType ?? 'unknown'} ${details.namedCurve ?? details.modulusLength ?? ''})`);
  } catch (err) {
    return fail('Invalid', `cannot read public key: ${errorMessage(err)}`);
  }
}

function toPublicKey(input: PublicKeyInput): Result<x509.PublicKey> {
  try {
    if (input instanceof x509.PublicKey) return ok(input);
    if (typeof input === 'string') return ok(new x509.PublicKey(input));
    const keyObject = KeyObject.from(input);
    if (keyObject.type !== 'public') return fail('Invalid', 'publicKey must be a public key');
    return ok(new x509.PublicKey(keyObject.export({ type: 'spki', format: 'der' })));
  } catch (err) {
    return fail('Invalid', `cannot read public key: ${errorMessage(err)}`);
  }
}
