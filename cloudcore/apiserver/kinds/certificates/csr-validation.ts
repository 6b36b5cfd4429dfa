import { readCertificateRequest } from '../../../../certs/index.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { arrayOf, num, str, type Obj } from '../../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isDNS1123Subdomain, type NameValidator } from '../common/name-rules.js';
import { validateConditions } from './csr-condition-validation.js';
import { csrConditions, csrSpec, requestPem } from './csr-fields.js';

/**
 * Validation of certificates.k8s.io/v1 CertificateSigningRequests, after Kubernetes'
 * pkg/apis/certificates/validation (docs/users.md § Validation).
 */
export const KEY_USAGES: readonly string[] = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
];

/** Kubernetes: "may not specify a duration less than 600 seconds (10 minutes)". */
export const MIN_EXPIRATION_SECONDS = 600;
const MAX_INT32 = 2 ** 31 - 1;

/** ValidateCertificateRequestName: a path segment name (not ".", "..", no "/" or "%"). */
export const csrNameRule: NameValidator = (name, prefix) => {
  if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`];
  if (name.includes('/')) return ["may not contain '/'"];
  if (name.includes('%')) return ["may not contain '%'"];
  return [];
};

export function validateCsrCreate(csr: KubeObject): FieldError[] {
  return [...validateObjectMeta(csr, { namespaced: false, nameRule: csrNameRule }), ...validateSpec(csr)];
}

function validateSpec(csr: KubeObject): FieldError[] {
  const spec = csrSpec(csr);
  return [...validateRequest(csr), ...validateSignerName(spec.signerName), ...validateUsages(spec.usages), ...validateExpiration(spec.expirationSeconds)];
}

function validateRequest(csr: KubeObject): FieldError[] {
  if (str(csrSpec(csr).request) === '') return [required('spec.request')];
  const read = readCertificateRequest(requestPem(csr));
  return read.ok ? [] : [invalid('spec.request', '<request>', read.message)];
}

/** A qualified signer name: `example.com/signer-name`. */
function validateSignerName(value: unknown): FieldError[] {
  const name = str(value);
  if (name === '') return [required('spec.signerName')];
  const slash = name.indexOf('/');
  const domain = slash < 0 ? '' : name.slice(0, slash);
  const path = slash < 0 ? '' : name.slice(slash + 1);
  if (domain === '' || path === '' || !domain.includes('.')) {
    return [invalid('spec.signerName', name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  return isDNS1123Subdomain(domain).map((msg) => invalid('spec.signerName', name, `domain: ${msg}`));
}

function validateUsages(value: unknown): FieldError[] {
  const usages = arrayOf(value);
  if (usages.length === 0) return [required('spec.usages')];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    const usage = str(u);
    if (!KEY_USAGES.includes(usage)) errs.push(notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    else if (seen.has(usage)) errs.push(duplicate(`spec.usages[${i}]`, usage));
    seen.add(usage);
  });
  return errs;
}

function validateExpiration(value: unknown): FieldError[] {
  if (value === undefined || value === null) return [];
  const seconds = num(value);
  if (seconds === undefined || !Number.isInteger(seconds)) return [invalid('spec.expirationSeconds', value, 'must be an integer')];
  if (seconds < MIN_EXPIRATION_SECONDS) return [invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 600 seconds (10 minutes)')];
  if (seconds > MAX_INT32) return [invalid('spec.expirationSeconds', seconds, `must be less than or equal to ${MAX_INT32}`)];
  return [];
}

/**
 * The status subresource: the signer's write. Approved and Denied are the approval
 * subresource's, so a status write may not add, drop or change them; a certificate needs an
 * Approved request and, once written, never changes.
 */
export function validateCsrStatusUpdate(csr: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateConditions(csrConditions(csr), csrConditions(old));
  for (const type of ['Approved', 'Denied']) {
    const now = JSON.stringify(csrConditions(csr).filter((c) => c.type === type));
    const before = JSON.stringify(csrConditions(old).filter((c) => c.type === type));
    if (now !== before) errs.push(forbidden('status.conditions', `updates to ${type} conditions must be made through the approval subresource`));
  }
  errs.push(...validateCertificate(csr, old));
  return errs;
}

/** The approval subresource: only conditions change; Approved and Denied stay once set. */
export function validateCsrApprovalUpdate(csr: KubeObject, old: KubeObject): FieldError[] {
  return validateConditions(csrConditions(csr), csrConditions(old));
}

function validateCertificate(csr: KubeObject, old: KubeObject): FieldError[] {
  const next = str((csr.status as Obj | undefined)?.certificate);
  const prev = str((old.status as Obj | undefined)?.certificate);
  if (next === prev) return [];
  if (prev !== '') return [forbidden('status.certificate', 'updates may not modify existing certificate content')];
  const approved = csrConditions(csr).some((c) => c.type === 'Approved');
  if (!approved) return [forbidden('status.certificate', 'a certificate may only be set on an approved request')];
  const pem = Buffer.from(next, 'base64').toString('utf8');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return [invalid('status.certificate', '<certificate data>', 'must contain at least one CERTIFICATE PEM block')];
  return [];
}
