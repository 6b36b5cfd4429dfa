import { readCertificateRequest } from '../../../../certs/index.js';
import { errors, type ApiError } from '../../../../shared/apimachinery/errors/status.js';
import { str } from '../../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import type { UserInfo } from '../../auth/authenticate.js';
import { defineResource } from '../common/define-resource.js';
import type { ResourceDefinition, UpdateAttempt } from '../types.js';
import { certificateOf, csrSpec, KUBE_APISERVER_CLIENT_SIGNER, requestPem } from './csr-fields.js';
import { isAuthorizedForSignerName } from './signer-authorization.js';
import { certificateSigningRequestsInfo } from './csr-info.js';
import { validateCsrCreate, validateCsrStatusUpdate } from './csr-validation.js';

/**
 * PrepareForCreate of Kubernetes' CSR strategy: who asked is the server's to say, so
 * spec.username, uid, groups and extra come from the authenticated requester and never from the
 * body; and nobody creates a pre-approved request, so the status starts empty.
 */
function prepareCsr(csr: KubeObject, requester?: UserInfo): void {
  const spec = csrSpec(csr);
  delete spec.username;
  delete spec.uid;
  delete spec.groups;
  delete spec.extra;
  if (requester !== undefined) {
    spec.username = requester.name;
    if (requester.uid !== undefined && requester.uid !== '') spec.uid = requester.uid;
    spec.groups = [...requester.groups];
  }
  csr.spec = spec;
  csr.status = {};
}

/**
 * Kubernetes' CertificateSubjectRestriction admission plugin (on by default): a request to the
 * kube-apiserver-client signer may not ask for the system:masters group (docs/users.md § Signer).
 */
function restrictSubject(csr: KubeObject): ApiError | undefined {
  const signerName = str(csrSpec(csr).signerName);
  if (signerName !== KUBE_APISERVER_CLIENT_SIGNER) return undefined;
  const read = readCertificateRequest(requestPem(csr));
  if (!read.ok || !read.value.organizations.includes('system:masters')) return undefined;
  const name = csr.metadata.name ?? '';
  return errors.forbiddenMessage(
    `certificatesigningrequests.certificates.k8s.io "${name}" is forbidden: use of ${signerName} signer with system:masters group is not allowed`,
    { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', name },
  );
}

/**
 * Kubernetes' CertificateSigning admission plugin: a user's status write that changes
 * status.certificate must be allowed to `sign` for the request's signer (docs/users.md § Approval).
 * cloudcore's own signer writes in-process and is not asked.
 */
function requireSignPermission(attempt: UpdateAttempt): ApiError | undefined {
  if (attempt.subresource !== 'status' || certificateOf(attempt.object) === certificateOf(attempt.old)) return undefined;
  const signerName = str(csrSpec(attempt.old).signerName);
  if (isAuthorizedForSignerName(attempt.authorize, attempt.user, 'sign', signerName)) return undefined;
  const name = attempt.old.metadata.name ?? '';
  return errors.forbiddenMessage(
    `certificatesigningrequests.certificates.k8s.io "${name}" is forbidden: user not permitted to sign requests with signerName "${signerName}"`,
    { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', name },
  );
}

/** certificates.k8s.io/v1 certificatesigningrequests: the way users get client certificates (docs/users.md). */
export function certificateSigningRequestsResource(): ResourceDefinition {
  return defineResource(certificateSigningRequestsInfo(), {
    prepareForCreate: prepareCsr,
    // Kubernetes' PrepareForUpdate: the spec is the request, fixed at create; an update keeps the
    // stored one (so `kubectl replace` of the original manifest, without spec.username, works).
    prepareForUpdate: (csr, old) => {
      csr.spec = old.spec;
    },
    validateCreate: validateCsrCreate,
    validateStatusUpdate: validateCsrStatusUpdate,
    admitCreate: restrictSubject,
    admitUpdate: requireSignPermission,
  });
}
