/**
 * The upgrade path (docs/identity.md § Upgrading): a data folder from before the identity lived in
 * the datastore keeps its CA as pki/ca.crt + pki/ca.key and its service-account key as pki/sa.key.
 * At the first start these move into the datastore, so every node, kubeconfig and token issued
 * before keeps working; the plain private key files are then removed.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CA_CERT_FILE, CA_KEY_FILE, readOptionalFile } from '../../certs/index.js';
import { SERVICE_ACCOUNT_KEY_FILE, signingKeyFrom } from '../serviceaccounts/index.js';
import { generateTicketKeys, type IdentityMaterial } from './identity-record.js';

/**
 * The private key files the datastore replaces, in the order they are removed: ca.key last, since
 * it marks a folder not yet moved, so a stop in between is finished by the next start.
 */
export const LEGACY_KEY_FILES = [SERVICE_ACCOUNT_KEY_FILE, CA_KEY_FILE] as const;

/**
 * The identity kept in pki/ by an older cloudcore, or undefined when there is none. Only ca.crt
 * is normal after the move (it stays, public); ca.key is what marks a folder not yet moved. A
 * folder from before service accounts has no sa.key: a new one is made.
 */
export async function readLegacyIdentity(pkiDir: string): Promise<IdentityMaterial | undefined> {
  const caKeyPem = await readOptionalFile(join(pkiDir, CA_KEY_FILE));
  if (caKeyPem === undefined) return undefined;
  const caCertPem = await readOptionalFile(join(pkiDir, CA_CERT_FILE));
  // ensureCa wrote the key before the certificate: a key alone signed nothing (certs/ca.ts).
  if (caCertPem === undefined) return undefined;
  const serviceAccountKeyPem = (await readOptionalFile(join(pkiDir, SERVICE_ACCOUNT_KEY_FILE))) ?? freshServiceAccountKeyPem();
  return { caCertPem, caKeyPem, serviceAccountKeyPem, ticketKeys: generateTicketKeys() };
}

/** A new service-account signing key as PKCS#8 PEM. */
export function freshServiceAccountKeyPem(): string {
  return signingKeyFrom().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Removes the plain private keys once the datastore holds them. */
export async function removeLegacyKeys(pkiDir: string): Promise<void> {
  for (const file of LEGACY_KEY_FILES) await rm(join(pkiDir, file), { force: true });
}
