/**
 * How a join token is kept in the API: a Secret `kube-system/bootstrap-token-<id>` of type
 * `bootstrap.kubernetes.io/token`, as Kubernetes keeps bootstrap tokens, except that it holds the
 * SHA-256 of the secret (`token-secret-sha256`), never the secret itself. Shared by the CLI,
 * which writes it, and the cloud's bootstrap server, which reads it.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../shared/errors.js';
import type { KubeObject } from '../shared/k8s/types.js';

export const TOKEN_NAMESPACE = 'kube-system';
export const TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const TOKEN_SECRET_PREFIX = 'bootstrap-token-';

export interface StoredJoinToken {
  id: string;
  secretHash: string;
  /** Absent: never expires. */
  expiresAt?: Date;
  /** Set: the token may join only this node name, and may take it over from a live node. */
  nodeName?: string;
  description?: string;
  /** Set by `outpost token revoke`; the Secret stays as a tombstone so a join says why it failed. */
  revokedAt?: Date;
}

export function tokenSecretName(id: string): string {
  return `${TOKEN_SECRET_PREFIX}${id}`;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export function buildTokenSecret(token: StoredJoinToken): KubeObject {
  const data: Record<string, string> = {
    'token-id': b64(token.id),
    'token-secret-sha256': b64(token.secretHash),
    'usage-bootstrap-signing': b64('true'),
  };
  if (token.expiresAt !== undefined) data.expiration = b64(rfc3339(token.expiresAt));
  if (token.nodeName !== undefined) data['node-name'] = b64(token.nodeName);
  if (token.description !== undefined) data.description = b64(token.description);
  if (token.revokedAt !== undefined) data['revoked-at'] = b64(rfc3339(token.revokedAt));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: tokenSecretName(token.id), namespace: TOKEN_NAMESPACE, labels: { 'outpost.dev/join-token': 'true' } },
    type: TOKEN_SECRET_TYPE,
    data,
  };
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

const secretSchema = z.object({
  type: z.literal(TOKEN_SECRET_TYPE),
  metadata: z.object({ name: z.string() }).loose(),
  data: z.record(z.string(), z.string()),
});

const date = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const dataSchema = z.object({
  'token-id': z.string().regex(/^[a-z0-9]{6}$/),
  'token-secret-sha256': z.string().regex(/^[0-9a-f]{64}$/),
  expiration: date.optional(),
  'node-name': z.string().min(1).optional(),
  description: z.string().optional(),
  'revoked-at': date.optional(),
});

/** Reads a token Secret; anything malformed is an error (an edited Secret never half-works). */
export function readTokenSecret(obj: unknown): Result<StoredJoinToken, 'Invalid'> {
  const secret = secretSchema.safeParse(obj);
  if (!secret.success) return fail('Invalid', 'not a join token Secret');
  const decoded = Object.fromEntries(Object.entries(secret.data.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  const data = dataSchema.safeParse(decoded);
  if (!data.success) return fail('Invalid', `join token Secret ${secret.data.metadata.name} is malformed`);
  if (secret.data.metadata.name !== tokenSecretName(data.data['token-id'])) {
    return fail('Invalid', `join token Secret ${secret.data.metadata.name} does not match its token-id`);
  }
  const d = data.data;
  return ok({
    id: d['token-id'],
    secretHash: d['token-secret-sha256'],
    ...(d.expiration === undefined ? {} : { expiresAt: d.expiration }),
    ...(d['node-name'] === undefined ? {} : { nodeName: d['node-name'] }),
    ...(d.description === undefined ? {} : { description: d.description }),
    ...(d['revoked-at'] === undefined ? {} : { revokedAt: d['revoked-at'] }),
  });
}
