import { readCertificateRequest, type CertificateRequestInfo } from '../../../certs/index.js';
import { str } from '../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import {
  APPROVED,
  certificateOf,
  csrSpec,
  DENIED,
  expirationSecondsOf,
  FAILED,
  hasCondition,
  KUBE_APISERVER_CLIENT_SIGNER,
  requestPem,
} from '../../apiserver/kinds/certificates/csr-fields.js';

/** What the signer does with one request: nothing, mark it Failed, or sign it. */
export type SigningDecision =
  | { action: 'skip' }
  | { action: 'fail'; message: string }
  | { action: 'sign'; request: CertificateRequestInfo; commonName: string; lifetimeSeconds: number };

/** Kubernetes' kube-apiserver-client signer: client auth is required; nothing beyond these is allowed. */
const ALLOWED_USAGES = new Set(['digital signature', 'key encipherment', 'client auth']);

/**
 * The decision of the kube-apiserver-client signer (docs/users.md § Signer), after Kubernetes'
 * csrsigning controller: only requests for this signer, approved, neither denied nor failed, and
 * not yet issued. Usages outside the allowed set fail the request (SignerValidationFailure), as
 * Kubernetes' signer fails them. The subject is the request's own: CN the user, O the groups
 * (system:masters never gets here: admission refused it at create). The lifetime is the smaller
 * of spec.expirationSeconds and the configured maximum.
 */
export function decideSigning(csr: KubeObject, maxLifetimeSeconds: number): SigningDecision {
  const spec = csrSpec(csr);
  if (str(spec.signerName) !== KUBE_APISERVER_CLIENT_SIGNER) return { action: 'skip' };
  if (!hasCondition(csr, APPROVED) || hasCondition(csr, DENIED) || hasCondition(csr, FAILED)) return { action: 'skip' };
  if (certificateOf(csr) !== '') return { action: 'skip' };
  const usages = Array.isArray(spec.usages) ? spec.usages.map((u) => str(u)) : [];
  if (!usages.includes('client auth')) return { action: 'fail', message: 'missing required usage for client certificate: client auth' };
  const extra = usages.find((u) => !ALLOWED_USAGES.has(u));
  if (extra !== undefined) return { action: 'fail', message: `invalid usage for client certificate: ${extra}` };
  const request = readCertificateRequest(requestPem(csr));
  if (!request.ok) return { action: 'fail', message: request.message };
  const commonName = request.value.commonNames[0];
  // The API's authenticator refuses a certificate without exactly one non-empty CN: no use signing one.
  if (request.value.commonNames.length !== 1 || commonName === undefined || commonName === '') {
    return { action: 'fail', message: 'the request subject must have exactly one non-empty common name (the user)' };
  }
  const requested = expirationSecondsOf(csr);
  const lifetimeSeconds = requested === undefined ? maxLifetimeSeconds : Math.min(requested, maxLifetimeSeconds);
  return { action: 'sign', request: request.value, commonName, lifetimeSeconds };
}
