/**
 * The cluster secret (docs/identity.md § The cluster secret): what every cloudcore of one cluster
 * must hold to open the identity in the datastore. Given with `--cluster-secret-file FILE`
 * (config `identity.clusterSecretFile`) or `OUTPOST_CLUSTER_SECRET`; otherwise read from
 * `<data>/cloud/cluster-secret`, which the first cloudcore writes (mode 0600).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from '../../certs/files.js';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

export const CLUSTER_SECRET_ENV = 'OUTPOST_CLUSTER_SECRET';
export const CLUSTER_SECRET_FLAG = '--cluster-secret-file';
export const CLUSTER_SECRET_FILE = 'cluster-secret';
const SECRET_BYTES = 32;

/** Any text of at least 16 characters (after trimming): a generated one is 43 base64url characters. */
const secretSchema = z.string().trim().min(16, 'the cluster secret must be at least 16 characters long');

export type ClusterSecretSource = 'flag' | 'env' | 'local';

export interface ResolvedClusterSecret {
  secret: string;
  source: ClusterSecretSource;
}

export interface ClusterSecretInputs {
  /** `--cluster-secret-file` / `identity.clusterSecretFile`. */
  secretFile?: string | undefined;
  /** Where `OUTPOST_CLUSTER_SECRET` is read from (process.env in main.ts). */
  env: Readonly<Record<string, string | undefined>>;
  /** `<data>/cloud/cluster-secret`. */
  localFile: string;
}

/** The secret in force, or undefined when none was given and this data folder has none yet. */
export async function resolveClusterSecret(inputs: ClusterSecretInputs): Promise<Result<ResolvedClusterSecret | undefined, 'Invalid'>> {
  if (inputs.secretFile !== undefined) {
    const text = await readSecretFile(inputs.secretFile);
    if (!text.ok) return text;
    if (text.value === undefined) return fail('Invalid', `${CLUSTER_SECRET_FLAG} ${inputs.secretFile}: no such file`);
    return parsed(text.value, 'flag', `${CLUSTER_SECRET_FLAG} ${inputs.secretFile}`);
  }
  const fromEnv = inputs.env[CLUSTER_SECRET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parsed(fromEnv, 'env', CLUSTER_SECRET_ENV);
  const local = await readSecretFile(inputs.localFile);
  if (!local.ok) return local;
  return local.value === undefined ? ok(undefined) : parsed(local.value, 'local', inputs.localFile);
}

/** 32 random bytes, base64url: what the first cloudcore makes when none is given. */
export function generateClusterSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * Keeps the secret in `<data>/cloud/cluster-secret` so this cloudcore restarts without the flag.
 * A file that holds another secret is an error: one data folder belongs to one cluster.
 */
export async function keepClusterSecret(localFile: string, secret: string): Promise<Result<{ written: boolean }, 'Invalid'>> {
  const existing = await readSecretFile(localFile);
  if (!existing.ok) return existing;
  if (existing.value !== undefined) {
    if (existing.value.trim() === secret) return ok({ written: false });
    return fail('Invalid', `${localFile} holds another cluster secret than the one given: one data folder belongs to one cluster`);
  }
  await writeFileAtomic(localFile, `${secret}\n`, SECRET_FILE_MODE);
  return ok({ written: true });
}

function parsed(text: string, source: ClusterSecretSource, where: string): Result<ResolvedClusterSecret, 'Invalid'> {
  const secret = secretSchema.safeParse(text);
  if (!secret.success) return fail('Invalid', `${where}: ${secret.error.issues.map((i) => i.message).join('; ')}`);
  return ok({ secret: secret.data, source });
}

async function readSecretFile(file: string): Promise<Result<string | undefined, 'Invalid'>> {
  try {
    return ok(await readOptionalFile(file));
  } catch (err) {
    return fail('Invalid', `cannot read the cluster secret from ${file}: ${errorMessage(err)}`);
  }
}
