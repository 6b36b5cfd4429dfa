/**
 * Reading a PKCS#10 certificate request as Kubernetes' API reads `CertificateSigningRequest
 * .spec.request` (docs/users.md § Validation): exactly one PEM "CERTIFICATE REQUEST" block that
 * parses and whose self-signature verifies. The check is synchronous (node:crypto), so the API's
 * validation, which is synchronous, can make it.
 */
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { x509 } from './x509.js';
import { errorMessage, fail, ok, type Result } from '../shared/errors.js';
import { MAX_CSR_PEM_BYTES } from './csr.js';

export interface CertificateRequestInfo {
  /** The subject's CN values (Kubernetes: the user) and O values (the groups). */
  commonNames: string[];
  organizations: string[];
  /** The request's public key, what a signer certifies. */
  publicKey: x509.PublicKey;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export function readCertificateRequest(pem: string): Result<CertificateRequestInfo, 'Invalid'> {
  if (Buffer.byteLength(pem, 'utf8') > MAX_CSR_PEM_BYTES) return fail('Invalid', `the request is larger than ${MAX_CSR_PEM_BYTES} bytes`);
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  const first = blocks[0];
  if (first === undefined) return fail('Invalid', 'PEM block type must be CERTIFICATE REQUEST');
  if (first[1] !== 'CERTIFICATE REQUEST') return fail('Invalid', 'PEM block type must be CERTIFICATE REQUEST');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(first[0]);
  } catch (err) {
    return fail('Invalid', `the request cannot be parsed: ${errorMessage(err)}`);
  }
  const signed = checkSelfSignature(csr);
  if (!signed.ok) return signed;
  return ok({ commonNames: csr.subjectName.getField('CN'), organizations: csr.subjectName.getField('O'), publicKey: csr.publicKey });
}

/** Verifies the request's signature over its CertificationRequestInfo with its own public key. */
function checkSelfSignature(csr: x509.Pkcs10CertificateRequest): Result<void, 'Invalid'> {
  const info = firstElement(Buffer.from(csr.rawData));
  if (info === undefined) return fail('Invalid', 'the request is not DER');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  } catch (err) {
    return fail('Invalid', `the request's public key cannot be read: ${errorMessage(err)}`);
  }
  const algorithm = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
  const hash = algorithm.hash?.name.replace('-', '').toLowerCase();
  const signature = Buffer.from(csr.signature);
  let valid: boolean;
  try {
    if (algorithm.name === 'ECDSA' && hash !== undefined) valid = verifySignature(hash, info, { key, dsaEncoding: 'der' }, signature);
    else if (algorithm.name === 'RSASSA-PKCS1-v1_5' && hash !== undefined) valid = verifySignature(hash, info, key, signature);
    else if (algorithm.name === 'Ed25519') valid = verifySignature(null, info, key, signature);
    else return fail('Invalid', `the request's signature algorithm ${algorithm.name} is not supported`);
  } catch (err) {
    return fail('Invalid', `the request's signature cannot be checked: ${errorMessage(err)}`);
  }
  return valid ? ok(undefined) : fail('Invalid', 'the request\'s signature is invalid');
}

/** The bytes (tag, length and content) of the first element inside a DER SEQUENCE. */
function firstElement(der: Buffer): Buffer | undefined {
  const outer = header(der, 0);
  if (outer === undefined || der[0] !== 0x30) return undefined;
  const inner = header(der, outer.contentStart);
  if (inner === undefined) return undefined;
  const end = inner.contentStart + inner.length;
  return end > der.length ? undefined : der.subarray(outer.contentStart, end);
}

function header(der: Buffer, at: number): { contentStart: number; length: number } | undefined {
  const first = der[at + 1];
  if (first === undefined) return undefined;
  if (first < 0x80) return { contentStart: at + 2, length: first };
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4) return undefined;
  let length = 0;
  for (let i = 0; i < octets; i++) {
    const byte = der[at + 2 + i];
    if (byte === undefined) return undefined;
    length = length * 256 + byte;
  }
  return { contentStart: at + 2 + octets, length };
}
