export type { BoundObject, IssuedToken, ServiceAccountTokenIssuer, TokenRequestSpec } from './types.js';
export { createServiceAccountTokenIssuer, DEFAULT_SERVICE_ACCOUNT_ISSUER, type ServiceAccountTokenIssuerOptions } from './token-issuer.js';
export { ensureServiceAccountSigningKey, parseSigningKey, signingKeyFrom, SERVICE_ACCOUNT_KEY_FILE, type ServiceAccountSigningKey } from './signing-key.js';
