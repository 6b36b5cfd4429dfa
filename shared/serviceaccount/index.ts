export { ALL_SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNT_USER_PREFIX, parseServiceAccountUsername, serviceAccountGroups, serviceAccountUsername } from './names.js';
export { privateClaimsSchema, serviceAccountClaimsSchema, type ServiceAccountClaims, type ServiceAccountClaimsInput } from './claims.js';
export { keysFromJwks, looksLikeJwt, publicJwk, signServiceAccountToken, verifyServiceAccountToken, type VerifyOptions } from './jwt.js';
