/**
 * Loads the cluster identity from the datastore, or creates it there (docs/identity.md). Creating
 * is create-if-absent: when two cloudcores start at once on an empty datastore, one create wins
 * and the other reads the winner's identity. An identity that exists is never replaced.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createCa, loadCa } from '../../certs/index.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { parseSigningKey } from '../serviceaccounts/index.js';
import type { Store } from '../storage/index.js';
import { CLUSTER_SECRET_ENV, CLUSTER_SECRET_FLAG, generateClusterSecret, keepClusterSecret, resolveClusterSecret } from './cluster-secret.js';
import { decodeIdentityRecord, encodeIdentityRecord, generateTicketKeys, IDENTITY_KEY, type IdentityMaterial } from './identity-record.js';
import { freshServiceAccountKeyPem, readLegacyIdentity, removeLegacyKeys } from './legacy-pki.js';
import { deriveSealingKey } from './sealing.js';
import type { ClusterIdentity, LoadClusterIdentityOptions, LoadedClusterIdentity } from './types.js';

export type IdentityErrorCode = 'Unauthorized' | 'StoreCorrupt' | 'Invalid' | 'Unavailable' | 'Conflict';

export async function loadClusterIdentity(store: Store, options: LoadClusterIdentityOptions): Promise<Result<LoadedClusterIdentity, IdentityErrorCode>> {
  const now = options.now ?? (() => new Date());
  const resolved = await resolveClusterSecret(options);
  if (!resolved.ok) return resolved;
  const stored = await readStoredIdentity(store);
  if (!stored.ok) return stored;

  if (stored.value !== undefined) {
    if (resolved.value === undefined) return fail('Unauthorized', noSecretMessage(options.localFile));
    return openExisting(stored.value, resolved.value.secret, options, now);
  }

  // Empty datastore: this cloudcore makes the identity, from pki/ files when an older one left some.
  const secret = resolved.value?.secret ?? generateClusterSecret();
  const generated = resolved.value === undefined;
  // The secret is on disk before the identity it opens exists: a crash in between loses nothing.
  const kept = await keepClusterSecret(options.localFile, secret);
  if (!kept.ok) return kept;
  const legacy = await readLegacyIdentity(options.pkiDir);
  const material = legacy ?? (await freshMaterial(now));
  // Checked before it is stored: a damaged pki/ must not become the cluster's identity.
  const identity = await parseMaterial(material, now);
  if (!identity.ok) return legacy ? fail('Invalid', `${options.pkiDir}: ${identity.message}`) : identity;
  const created = await store.create(IDENTITY_KEY, encodeIdentityRecord(deriveSealingKey(secret), material, legacy ? 'migrated' : 'created', now()));
  if (!created.ok) {
    if (created.code !== 'AlreadyExists') return fail('Unavailable', `cannot store the cluster identity: ${created.message}`);
    // Another cloudcore created it first. A secret made here cannot open that one.
    if (generated) {
      if (kept.value.written) await rm(options.localFile, { force: true });
      return fail('Conflict', `another cloudcore created the cluster identity at the same time: start this one with ${CLUSTER_SECRET_FLAG} FILE (that cloudcore's <data>/cloud/cluster-secret) or ${CLUSTER_SECRET_ENV}`);
    }
    const winner = await readStoredIdentity(store);
    if (!winner.ok) return winner;
    if (winner.value === undefined) return fail('Unavailable', 'the cluster identity was deleted while this cloudcore started');
    return openExisting(winner.value, secret, options, now);
  }
  if (legacy) await removeLegacyKeys(options.pkiDir);
  return ok({ ...identity.value, outcome: legacy ? 'migrated' : 'created', secretWritten: kept.value.written, secretGenerated: generated });
}

/**
 * Reads the identity without ever creating one: for tools and tests that need the cluster CA of a
 * running cluster. 'NotFound' when the datastore holds none.
 */
export async function readClusterIdentity(store: Store, secret: string, now: () => Date = () => new Date()): Promise<Result<ClusterIdentity, IdentityErrorCode | 'NotFound'>> {
  const stored = await readStoredIdentity(store);
  if (!stored.ok) return stored;
  if (stored.value === undefined) return fail('NotFound', `the datastore holds no cluster identity at ${IDENTITY_KEY}`);
  const decoded = decodeIdentityRecord(deriveSealingKey(secret), stored.value);
  if (!decoded.ok) return decoded;
  return parseMaterial(decoded.value.material, now);
}

async function readStoredIdentity(store: Store): Promise<Result<string | undefined, 'Unavailable'>> {
  const got = await store.get(IDENTITY_KEY);
  if (!got.ok) return fail('Unavailable', `cannot read the cluster identity: ${got.message}`);
  return ok(got.value?.value);
}

async function openExisting(
  value: string,
  secret: string,
  options: LoadClusterIdentityOptions,
  now: () => Date,
): Promise<Result<LoadedClusterIdentity, IdentityErrorCode>> {
  const decoded = decodeIdentityRecord(deriveSealingKey(secret), value);
  if (!decoded.ok) return decoded;
  const identity = await parseMaterial(decoded.value.material, now);
  if (!identity.ok) return identity;
  const leftover = await readLegacyIdentity(options.pkiDir);
  if (leftover !== undefined) {
    // A key moved by a start that stopped before removing it goes now; a key of another CA would
    // be abandoned silently if this data folder joined, so the start stops instead.
    if (!sameKey(leftover.caKeyPem, decoded.value.material.caKeyPem)) {
      return fail('Conflict', `${options.pkiDir}/ca.key belongs to another CA than this datastore's cluster identity: move it away to join this cluster`);
    }
    await removeLegacyKeys(options.pkiDir);
  }
  const kept = await keepClusterSecret(options.localFile, secret);
  if (!kept.ok) return kept;
  return ok({ ...identity.value, outcome: 'loaded', secretWritten: kept.value.written, secretGenerated: false });
}

async function freshMaterial(now: () => Date): Promise<IdentityMaterial> {
  const ca = await createCa({ now });
  return { caCertPem: ca.certPem, caKeyPem: ca.keyPem, serviceAccountKeyPem: freshServiceAccountKeyPem(), ticketKeys: generateTicketKeys() };
}

async function parseMaterial(material: IdentityMaterial, now: () => Date): Promise<Result<ClusterIdentity, 'Invalid'>> {
  const ca = await loadCa({ certPem: material.caCertPem, keyPem: material.caKeyPem }, { now });
  if (!ca.ok) return fail('Invalid', `the cluster CA: ${ca.message}`);
  const serviceAccountKey = parseSigningKey(material.serviceAccountKeyPem);
  if (!serviceAccountKey.ok) return serviceAccountKey;
  return ok({ ca: ca.value, serviceAccountKey: serviceAccountKey.value, ticketKeys: material.ticketKeys });
}

function noSecretMessage(localFile: string): string {
  return `the datastore already holds a cluster identity and no cluster secret was given: start with ${CLUSTER_SECRET_FLAG} FILE or set ${CLUSTER_SECRET_ENV} (the first cloudcore wrote the secret to its <data>/cloud/cluster-secret; this one looked in ${localFile})`;
}

/** Two private keys are the same key when their public halves are (the PEM wrapping may differ). */
function sameKey(a: string, b: string): boolean {
  try {
    return createPublicKey(createPrivateKey(a)).export({ type: 'spki', format: 'der' }).equals(createPublicKey(createPrivateKey(b)).export({ type: 'spki', format: 'der' }));
  } catch {
    // An unreadable leftover key cannot be the identity's key.
    return false;
  }
}
