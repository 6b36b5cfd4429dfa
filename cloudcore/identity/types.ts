import type { CertificateAuthority } from '../../certs/index.js';
import type { ServiceAccountSigningKey } from '../serviceaccounts/index.js';
import type { ClusterSecretInputs } from './cluster-secret.js';

/** What several cloudcores share to be one cluster (docs/identity.md § What is shared). */
export interface ClusterIdentity {
  /** The cluster CA: signs serving, admin, node and user certificates. */
  ca: CertificateAuthority;
  /** Signs service-account tokens, so a token from one cloudcore is accepted by all. */
  serviceAccountKey: ServiceAccountSigningKey;
  /** CloudHub's TLS session ticket keys (48 bytes): resumption across restarts and cloudcores. */
  ticketKeys: Buffer;
}

/** How this start got the identity: read it, made it, or moved it from pki/ files. */
export type IdentityOutcome = 'loaded' | 'created' | 'migrated';

export interface LoadedClusterIdentity extends ClusterIdentity {
  outcome: IdentityOutcome;
  /** True when this start wrote `<data>/cloud/cluster-secret`. */
  secretWritten: boolean;
  /** True when this start made the cluster secret (the first cloudcore of a cluster). */
  secretGenerated: boolean;
}

export interface LoadClusterIdentityOptions extends ClusterSecretInputs {
  /** This cloudcore's pki/: read for the upgrade path; its plain private keys are removed. */
  pkiDir: string;
  now?: () => Date;
}
