/**
 * The contract between the service-account token issuer (this folder) and its users: the
 * TokenRequest subresource, the API's token authenticator, and CloudHub, which issues the bound
 * tokens of the pods each edge runs (docs/protocol.md). Tokens are ES256 JWTs
 * (shared/serviceaccount/jwt.ts) with Kubernetes' claims.
 */
export interface BoundObject {
  kind: 'Pod' | 'Secret';
  name: string;
  uid: string;
}

export interface TokenRequestSpec {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  /** Empty means the API's own audiences (Kubernetes' TokenRequest default). */
  audiences: readonly string[];
  expirationSeconds: number;
  boundObject?: BoundObject;
  /** The node a pod-bound token's pod runs on (Kubernetes adds it to the private claim). */
  node?: { name: string; uid: string };
  /**
   * Kubernetes' --service-account-extend-token-expiration: the token is valid for
   * `expirationSeconds` (extended), but carries `kubernetes.io.warnafter` = iat + this, the
   * lifetime that was asked for (docs/service-accounts.md § At the edge).
   */
  warnAfterSeconds?: number;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339, as TokenRequest.status.expirationTimestamp. */
  expirationTimestamp: string;
  /** The audiences written into the token. */
  audiences: string[];
}

export interface ServiceAccountTokenIssuer {
  /** The `iss` claim (and the OIDC issuer URL). */
  readonly issuer: string;
  /** What the API accepts in `aud` when authenticating (Kubernetes' --api-audiences; default: the issuer). */
  readonly apiAudiences: readonly string[];
  issue(spec: TokenRequestSpec): IssuedToken;
  /** The public keys tokens are checked against, as /openid/v1/jwks serves them. */
  jwks(): { keys: Record<string, unknown>[] };
}
