import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceAccountTokenIssuer } from './types.js';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

/**
 * Kubernetes' ServiceAccountIssuerDiscovery: an OpenID Connect discovery document naming the
 * issuer and where its keys are, and the keys as a JWK set, so that anything outside the cluster
 * can verify service-account tokens (docs/service-accounts.md § Issuer discovery). Both are
 * public here; Kubernetes answers them with a cache lifetime of an hour.
 */
export function openIdConfiguration(issuer: ServiceAccountTokenIssuer, jwksUri: string): Record<string, unknown> {
  return {
    issuer: issuer.issuer,
    jwks_uri: jwksUri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  };
}

function send(res: ServerResponse, body: unknown, contentType: string): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'public, max-age=3600' });
  res.end(text);
}

/** The two handlers, by path, for ApiServer.addNonResourceHandler; `apiUrl` is read per request (the port is known once bound). */
export function issuerDiscoveryHandlers(
  issuer: ServiceAccountTokenIssuer,
  apiUrl: () => string,
): Array<[string, (req: IncomingMessage, res: ServerResponse) => void]> {
  return [
    [OPENID_CONFIGURATION_PATH, (_req, res) => send(res, openIdConfiguration(issuer, `${apiUrl()}${JWKS_PATH}`), 'application/json')],
    [JWKS_PATH, (_req, res) => send(res, issuer.jwks(), 'application/jwk-set+json')],
  ];
}
