/**
 * Signs a PKCS#10 request for the join flow. Only the public key is taken from the request, and
 * only after its self-signature proves the requester holds the private key. Subject, SANs, usages
 * and lifetime are the signer's decision: a node asking for O=system:masters gets nothing of it.
 */
import { webcrypto } from 'node:crypto';
import { x509 } from './x509.js';
import { errorMessage, fail, type Result } from '../shared/errors.js';
import { issueCertificate, type IssuedCertificate } from './issue.js';
import type { CertificateAuthority, CertificateUsages, Clock } from './types.js';

/** A CSR for one P-256 key is well under 1 KiB; anything this large is not one of ours. */
export const MAX_CSR_PEM_BYTES = 64 * 1024;

export interface SignCsrOptions {
  ca: CertificateAuthority;
  csrPem: string;
  commonName: string;
  organizations?: string[];
  usages: CertificateUsages;
  lifetimeDays: number;
  now?: Clock;
}

export async function signCsr(opts: SignCsrOptions): Promise<Result<IssuedCertificate>> {
  const csr = await parseVerifiedCsr(opts.csrPem);
  if (!csr.ok) return csr;
  return issueCertificate({
    ca: opts.ca,
    subject: { commonName: opts.commonName, organizations: opts.organizations ?? [] },
    usages: opts.usages,
    lifetimeDays: opts.lifetimeDays,
    publicKey: csr.value.publicKey,
    ...(opts.now === undefined ? {} : { now: opts.now }),
  });
}

async function parseVerifiedCsr(csrPem: string): Promise<Result<x509.Pkcs10CertificateRequest, 'BadRequest'>> {
  if (Buffer.byteLength(csrPem, 'utf8') > MAX_CSR_PEM_BYTES) {
    return fail('BadRequest', `certificate request is larger than ${MAX_CSR_PEM_BYTES} bytes`);
  }
  if (!csrPem.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    return fail('BadRequest', 'certificate request must be a PEM "CERTIFICATE REQUEST" block');
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    return fail('BadRequest', `certificate request cannot be parsed: ${errorMessage(err)}`);
  }
  let valid: boolean;
  try {
    valid = await csr.verify(webcrypto);
  } catch (err) {
    return fail('BadRequest', `certificate request signature cannot be checked: ${errorMessage(err)}`);
  }
  if (!valid) return fail('BadRequest', 'certificate request signature is invalid');
  return { ok: true, value: csr };
}
