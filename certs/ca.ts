/**
 * The cluster CA: one self-signed ECDSA P-256 certificate, valid 10 years, kept as ca.crt/ca.key
 * in the PKI folder (docs/architecture.md § Security model). A CA that exists is never silently replaced:
 * nodes and kubeconfigs trust it, so a damaged one is reported, not overwritten.
 */
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { x509 } from './x509.js';
import { errorMessage, fail, ok, type Result } from '../shared/errors.js';
import { randomSerialNumber, validityWindow } from './certificate-fields.js';
import { ensurePrivateDir, PUBLIC_FILE_MODE, readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from './files.js';
import { ECDSA_SHA256, generateKeyPair, importSigningKey, keyMatchesPublicKey, privateKeyToPem } from './keys.js';
import type { CertificateAuthority, Clock } from './types.js';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const CA_LIFETIME_DAYS = 3650;

export interface CaOptions {
  now?: Clock;
}

/** An in-memory CA: what ensureCa writes when the folder has none. */
export async function createCa(opts: CaOptions = {}): Promise<CertificateAuthority> {
  const now = (opts.now ?? (() => new Date()))();
  const keys = await generateKeyPair();
  const { notBefore, notAfter } = validityWindow(now, CA_LIFETIME_DAYS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: [{ CN: [`outpost-ca@${Math.floor(now.getTime() / 1000)}`] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: ECDSA_SHA256,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return {
    certPem: certificate.toString('pem'),
    keyPem: await privateKeyToPem(keys.privateKey),
    certificate,
    privateKey: keys.privateKey,
  };
}

/** Checks that the PEMs form a usable CA (a CA certificate, in date, with its own key). */
export async function loadCa(
  pems: { certPem: string; keyPem: string },
  opts: CaOptions = {},
): Promise<Result<CertificateAuthority>> {
  const now = (opts.now ?? (() => new Date()))();
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(pems.certPem);
  } catch (err) {
    return fail('Invalid', `CA certificate cannot be parsed: ${errorMessage(err)}`);
  }
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  if (constraints?.ca !== true) return fail('Invalid', 'CA certificate lacks basicConstraints CA:true');
  if (certificate.notAfter.getTime() <= now.getTime()) {
    return fail('Invalid', `CA certificate expired at ${certificate.notAfter.toISOString()}`);
  }
  if (!keyMatchesPublicKey(pems.keyPem, certificate.publicKey.rawData)) {
    return fail('Invalid', 'CA private key does not belong to the CA certificate');
  }
  const privateKey = await importSigningKey(pems.keyPem);
  if (!privateKey.ok) return privateKey;
  return ok({ certPem: pems.certPem, keyPem: pems.keyPem, certificate, privateKey: privateKey.value });
}

export interface EnsuredCa extends CertificateAuthority {
  /** True when this call made the CA (first start), false when it was loaded. */
  created: boolean;
}

/**
 * Loads pkiDir/ca.crt + ca.key, or creates them when there is no ca.crt. A key without a
 * certificate is left over from a start that crashed before the certificate was written; nothing
 * can have been signed with it, so it is replaced. A certificate that is present but unusable is
 * an error: replacing it would silently break trust with every node.
 */
export async function ensureCa(pkiDir: string, opts: CaOptions = {}): Promise<Result<EnsuredCa>> {
  await ensurePrivateDir(pkiDir);
  const certFile = join(pkiDir, CA_CERT_FILE);
  const keyFile = join(pkiDir, CA_KEY_FILE);
  const certPem = await readOptionalFile(certFile);
  if (certPem !== undefined) {
    const keyPem = await readOptionalFile(keyFile);
    if (keyPem === undefined) return fail('Invalid', `${certFile} exists but ${keyFile} is missing`);
    const loaded = await loadCa({ certPem, keyPem }, opts);
    if (!loaded.ok) {
      return fail('Invalid', `${loaded.message} (${certFile}); remove ${CA_CERT_FILE} and ${CA_KEY_FILE} to make a new CA`);
    }
    return ok({ ...loaded.value, created: false });
  }
  const ca = await createCa(opts);
  // Key first: a crash in between leaves a key without a certificate, which the next start replaces.
  await writeFileAtomic(keyFile, ca.keyPem, SECRET_FILE_MODE);
  await writeFileAtomic(certFile, ca.certPem, PUBLIC_FILE_MODE);
  return ok({ ...ca, created: true });
}
