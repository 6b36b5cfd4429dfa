export type { BoundObject, IssuedToken, ServiceAccountTokenIssuer, TokenRequestSpec } from './types.js';
export { createServiceAccountTokenIssuer, DEFAULT_SERVICE_ACCOUNT_ISSUER, type ServiceAccountTokenIssuerOptions } from './token-issuer.js';
export { parseSigningKey, signingKeyFrom, SERVICE_ACCOUNT_KEY_FILE, type ServiceAccountSigningKey } from './signing-key.js';
export { createServiceAccountAuthenticator, type BoundObjectSource, type ServiceAccountAuthenticatorOptions } from './token-authenticator.js';
export { createTokenRequestHandler, type TokenRequestHandlerOptions } from './token-request-handler.js';
export { issuerDiscoveryHandlers } from './issuer-discovery.js';
