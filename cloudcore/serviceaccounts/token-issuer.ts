import { randomUUID } from 'node:crypto';
import { publicJwk, serviceAccountUsername, signServiceAccountToken, type ServiceAccountClaimsInput } from '../../shared/serviceaccount/index.js';
import type { ServiceAccountSigningKey } from './signing-key.js';
import type { IssuedToken, ServiceAccountTokenIssuer, TokenRequestSpec } from './types.js';

/** kube-apiserver's default `--service-account-issuer` on most distributions (and K3s'). */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface ServiceAccountTokenIssuerOptions {
  signingKey: ServiceAccountSigningKey;
  /** The `iss` claim; default DEFAULT_SERVICE_ACCOUNT_ISSUER. */
  issuer?: string;
  /** The audiences the API accepts (kube-apiserver's --api-audiences); default [issuer]. */
  apiAudiences?: readonly string[];
  now?: () => Date;
}

/**
 * Issues bound service-account tokens with Kubernetes' claims (pkg/serviceaccount/claims.go):
 * sub `system:serviceaccount:<ns>:<name>`, the audiences asked for (the API's own when none),
 * iat = nbf = now, exp = now + expirationSeconds, a random jti, and the private `kubernetes.io`
 * claim naming the namespace, the service account and the pod or secret (and node) it is bound to
 * (docs/service-accounts.md § Tokens). The caller has checked the objects exist; this only signs.
 */
export function createServiceAccountTokenIssuer(options: ServiceAccountTokenIssuerOptions): ServiceAccountTokenIssuer {
  const issuer = options.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
  const apiAudiences = [...(options.apiAudiences ?? [issuer])];
  const now = options.now ?? (() => new Date());
  const { privateKey, keyId } = options.signingKey;
  const jwk = publicJwk(options.signingKey.publicKey, keyId);
  return {
    issuer,
    apiAudiences,
    issue(spec: TokenRequestSpec): IssuedToken {
      const iat = Math.floor(now().getTime() / 1000);
      const exp = iat + spec.expirationSeconds;
      const audiences = spec.audiences.length > 0 ? [...spec.audiences] : [...apiAudiences];
      const bound = spec.boundObject;
      const claims: ServiceAccountClaimsInput = {
        aud: audiences,
        exp,
        iat,
        iss: issuer,
        jti: randomUUID(),
        'kubernetes.io': {
          namespace: spec.namespace,
          ...(spec.node !== undefined ? { node: { name: spec.node.name, uid: spec.node.uid } } : {}),
          ...(bound?.kind === 'Pod' ? { pod: { name: bound.name, uid: bound.uid } } : {}),
          ...(bound?.kind === 'Secret' ? { secret: { name: bound.name, uid: bound.uid } } : {}),
          serviceaccount: { name: spec.serviceAccountName, uid: spec.serviceAccountUid },
          ...(spec.warnAfterSeconds !== undefined ? { warnafter: iat + spec.warnAfterSeconds } : {}),
        },
        nbf: iat,
        sub: serviceAccountUsername(spec.namespace, spec.serviceAccountName),
      };
      return {
        token: signServiceAccountToken(privateKey, keyId, claims),
        expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        audiences,
      };
    },
    jwks() {
      return { keys: [{ ...jwk }] };
    },
  };
}
