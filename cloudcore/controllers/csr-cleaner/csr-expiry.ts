import { X509Certificate } from 'node:crypto';
import { str } from '../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { APPROVED, certificateOf, csrConditions, DENIED, FAILED } from '../../apiserver/kinds/certificates/csr-fields.js';

/** Kubernetes' csrcleaner deadlines: decided requests go after an hour, undecided ones after a day. */
export const ISSUED_TTL_MS = 60 * 60 * 1000;
export const DENIED_TTL_MS = 60 * 60 * 1000;
export const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Why a request is due for deletion at `now`, or undefined (docs/users.md § Clean-up): issued an
 * hour ago, denied or failed an hour ago, pending for a day, or holding a certificate that expired.
 */
export function expiryReason(csr: KubeObject, now: number): string | undefined {
  const since = (type: string): number | undefined => {
    const condition = csrConditions(csr).find((c) => str(c.type) === type);
    if (condition === undefined) return undefined;
    const at = Date.parse(str(condition.lastUpdateTime));
    // A condition without a readable time counts from the request's creation.
    return Number.isNaN(at) ? Date.parse(csr.metadata.creationTimestamp ?? '') : at;
  };
  const older = (at: number | undefined, ttl: number): boolean => at !== undefined && !Number.isNaN(at) && at + ttl < now;
  const issued = certificateOf(csr) !== '';
  if (issued && older(since(APPROVED), ISSUED_TTL_MS)) return 'issued more than an hour ago';
  if (older(since(DENIED), DENIED_TTL_MS)) return 'denied more than an hour ago';
  if (older(since(FAILED), DENIED_TTL_MS)) return 'failed more than an hour ago';
  if (csrConditions(csr).length === 0 && older(Date.parse(csr.metadata.creationTimestamp ?? ''), PENDING_TTL_MS)) return 'pending for more than a day';
  if (issued && certificateExpired(certificateOf(csr), now)) return 'its certificate has expired';
  return undefined;
}

function certificateExpired(encoded: string, now: number): boolean {
  try {
    return Date.parse(new X509Certificate(Buffer.from(encoded, 'base64').toString('utf8')).validTo) < now;
  } catch (err) {
    // status.certificate was validated as PEM; one Node cannot parse is left for the other deadlines.
    if (err instanceof Error) return false;
    throw err;
  }
}
