import type { UserInfo } from '../../auth/authenticate.js';
import type { Authorizer } from '../../auth/authorize.js';

/**
 * Kubernetes' IsAuthorizedForSignerName (docs/users.md § Approval): may the user `verb` (approve,
 * sign) requests for this signer? Asked of the API's authorizer as the verb on the resource
 * `signers` of certificates.k8s.io, named after the signer, or after its domain with `/*`.
 */
export function isAuthorizedForSignerName(authorize: Authorizer, user: UserInfo, verb: 'approve' | 'sign', signerName: string): boolean {
  const ask = (name: string) =>
    authorize({ user, verb, isResource: true, group: 'certificates.k8s.io', resource: 'signers', subresource: undefined, namespace: undefined, name, path: '' }).allowed;
  if (ask(signerName)) return true;
  const slash = signerName.indexOf('/');
  return slash > 0 && ask(`${signerName.slice(0, slash)}/*`);
}
