import { asObj, num, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';

/**
 * Readers of a CertificateSigningRequest's fields (certificates.k8s.io/v1), shared by the kind's
 * strategy, the approval subresource and the signer controller (docs/users.md).
 */
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

/** The condition types Kubernetes gives meaning to; each may appear once, with status True. */
export const APPROVED = 'Approved';
export const DENIED = 'Denied';
export const FAILED = 'Failed';
export const BUILTIN_CONDITION_TYPES: readonly string[] = [APPROVED, DENIED, FAILED];

export function csrSpec(csr: KubeObject): Obj {
  return asObj(csr.spec) ?? {};
}

export function csrConditions(csr: KubeObject): Obj[] {
  return objArray(asObj(csr.status)?.conditions);
}

export function hasCondition(csr: KubeObject, type: string): boolean {
  return csrConditions(csr).some((c) => str(c.type) === type);
}

/** status.certificate as base64 of PEM ('' when none). */
export function certificateOf(csr: KubeObject): string {
  return str(asObj(csr.status)?.certificate);
}

/** spec.request decoded from base64: the PEM text ('' when absent or not base64). */
export function requestPem(csr: KubeObject): string {
  const encoded = str(csrSpec(csr).request);
  return Buffer.from(encoded, 'base64').toString('utf8');
}

export function expirationSecondsOf(csr: KubeObject): number | undefined {
  return num(csrSpec(csr).expirationSeconds);
}

/** kubectl's CONDITION column (printers.go extractCSRStatus): Approved/Denied/Pending, then ,Failed and ,Issued. */
export function conditionSummary(csr: KubeObject): string {
  let summary = hasCondition(csr, DENIED) ? 'Denied' : hasCondition(csr, APPROVED) ? 'Approved' : 'Pending';
  if (hasCondition(csr, FAILED)) summary += ',Failed';
  if (certificateOf(csr) !== '') summary += ',Issued';
  return summary;
}

/**
 * Kubernetes' defaulting and populateConditionTimestamps for CSR conditions: status defaults to
 * True; a missing lastUpdateTime is now; a missing lastTransitionTime is kept from the same
 * type and status before, else now. Returns new condition objects.
 */
export function withConditionDefaults(conditions: Obj[], old: Obj[], now: string): Obj[] {
  return conditions.map((c) => {
    const next: Obj = { ...c };
    if (str(next.status) === '') next.status = 'True';
    if (str(next.lastUpdateTime) === '') next.lastUpdateTime = now;
    if (str(next.lastTransitionTime) === '') {
      const same = old.find((o) => str(o.type) === str(next.type) && str(o.status) === str(next.status) && str(o.lastTransitionTime) !== '');
      next.lastTransitionTime = same === undefined ? now : same.lastTransitionTime;
    }
    return next;
  });
}
