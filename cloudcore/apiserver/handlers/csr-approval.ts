import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import { str } from '../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { adminOnlyAuthorizer } from '../auth/authorize.js';
import { csrConditions, csrSpec, withConditionDefaults } from '../kinds/certificates/csr-fields.js';
import { validateCsrApprovalUpdate } from '../kinds/certificates/csr-validation.js';
import { isAuthorizedForSignerName } from '../kinds/certificates/signer-authorization.js';
import type { ResourceRequest } from './context.js';
import { isDryRun } from './create.js';
import { expectedApiVersion, readObjectBody, timestamp } from './decode-object.js';
import { assertIdentityMatches } from './update.js';
import { updateObject } from './update-object.js';

const GROUP = 'certificates.k8s.io';

/**
 * certificatesigningrequests/approval, as `kubectl certificate approve|deny` uses it: a PUT of the
 * whole request of which only status.conditions is taken (spec and certificate stay as stored).
 * The request itself needs `update` on the subresource (the pipeline checked it); the approval
 * also needs `approve` on the request's signer, as Kubernetes' CertificateApproval admission
 * plugin demands (docs/users.md § Approval).
 */
export async function handleCsrApproval(r: ResourceRequest): Promise<void> {
  const name = r.info.name;
  if (name === undefined) throw errors.notFoundPath(r.info.path);
  if (r.info.verb === 'get') {
    const current = await r.ctx.objects.get(r.def, undefined, name);
    if (current === undefined) throw errors.notFound({ group: GROUP, resource: r.def.resource, name });
    writeJson(r.res, 200, current);
    return;
  }
  if (r.info.verb !== 'update') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  const body = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
  assertIdentityMatches(r, body, name);
  const authorize = r.ctx.authorize ?? adminOnlyAuthorizer;
  const now = timestamp(r.ctx.now());
  const updated = await updateObject(r.ctx, r.def, {
    namespace: undefined,
    name,
    subresource: 'status',
    dryRun: isDryRun(r.query, 'UpdateOptions'),
    mutate: (current) => {
      const signerName = str(csrSpec(current).signerName);
      if (!isAuthorizedForSignerName(authorize, r.user, 'approve', signerName)) {
        throw errors.forbiddenMessage(
          `certificatesigningrequests.${GROUP} "${name}" is forbidden: user not permitted to approve requests with signerName "${signerName}"`,
          { group: GROUP, resource: r.def.resource, name },
        );
      }
      return approvalOf(current, body, now);
    },
    validate: validateCsrApprovalUpdate,
  });
  writeJson(r.res, 200, updated);
}

/** The stored request with the body's conditions (defaulted) and the body's preconditions. */
function approvalOf(current: KubeObject, body: KubeObject, now: string): KubeObject {
  const conditions = withConditionDefaults(csrConditions(body), csrConditions(current), now);
  return {
    ...current,
    metadata: {
      ...current.metadata,
      ...(body.metadata.resourceVersion === undefined ? {} : { resourceVersion: body.metadata.resourceVersion }),
      ...(body.metadata.uid === undefined ? {} : { uid: body.metadata.uid }),
    },
    status: { ...((current.status as object | undefined) ?? {}), conditions },
  };
}
