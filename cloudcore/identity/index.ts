export { loadClusterIdentity, readClusterIdentity, type IdentityErrorCode } from './load-identity.js';
export { CLUSTER_SECRET_ENV, CLUSTER_SECRET_FILE, CLUSTER_SECRET_FLAG } from './cluster-secret.js';
export { IDENTITY_KEY, WRONG_SECRET_MESSAGE } from './identity-record.js';
export type { ClusterIdentity, IdentityOutcome, LoadClusterIdentityOptions, LoadedClusterIdentity } from './types.js';
