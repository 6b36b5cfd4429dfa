import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What protocol 1.5 sends an edge for its pods' service accounts (docs/protocol.md R40–R42),
 * besides the ServiceAccounts themselves: the pod-bound tokens, the issuer's keys, and the RBAC
 * objects that grant the node's service accounts anything. Tokens and the issuer are not API
 * objects: the cloud makes them for the channel only, in the shape of objects so that the edge
 * stores, inventories and acks them like any other (R8–R13).
 */
export const SERVICE_ACCOUNTS_API_VERSION = 'edge.outpost.dev/v1';
export const SERVICE_ACCOUNT_TOKEN_KIND = 'ServiceAccountToken';
export const SERVICE_ACCOUNT_ISSUER_KIND = 'ServiceAccountIssuer';
/** The one issuer object's name (cluster-scoped). */
export const ISSUER_OBJECT_NAME = 'cluster';

/** The RBAC kinds a node receives for its service accounts (R41), by resource. */
export const RBAC_RESOURCES = { roles: 'Role', clusterroles: 'ClusterRole', rolebindings: 'RoleBinding', clusterrolebindings: 'ClusterRoleBinding' } as const;
export type RbacResource = keyof typeof RBAC_RESOURCES;

const identity = z.object({ name: z.string().min(1), namespace: z.string().optional(), uid: z.string().min(1), resourceVersion: z.string() });

/** One projected token: the pod, the volume and path it goes to, the JWT and when it expires (R40). */
export const serviceAccountTokenObjectSchema = z.object({
  apiVersion: z.literal(SERVICE_ACCOUNTS_API_VERSION),
  kind: z.literal(SERVICE_ACCOUNT_TOKEN_KIND),
  metadata: identity,
  spec: z.object({
    podUid: z.string().min(1),
    podName: z.string().min(1),
    volume: z.string().min(1),
    path: z.string().min(1),
    serviceAccountName: z.string().min(1),
  }),
  status: z.object({
    token: z.string().min(1),
    /** RFC 3339. */
    expirationTimestamp: z.string(),
  }),
});
export type ServiceAccountTokenObject = z.infer<typeof serviceAccountTokenObjectSchema>;

/** The issuer's public keys, its name (`iss`) and the audiences the API accepts (R40). */
export const issuerObjectSchema = z.object({
  apiVersion: z.literal(SERVICE_ACCOUNTS_API_VERSION),
  kind: z.literal(SERVICE_ACCOUNT_ISSUER_KIND),
  metadata: identity,
  issuer: z.string().min(1),
  apiAudiences: z.array(z.string()),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
});
export type IssuerObject = z.infer<typeof issuerObjectSchema>;

/** A token's uid: fixed for (pod, volume, path), so each new token replaces the last one (R40). */
export function tokenObjectUid(podUid: string, volume: string, path: string): string {
  return `sat-${createHash('sha256').update(`${podUid}\0${volume}\0${path}`).digest('hex').slice(0, 40)}`;
}

/** A token's name in its pod's namespace: readable in logs, unique per (pod, volume, path). */
export function tokenObjectName(podName: string, podUid: string, volume: string, path: string): string {
  return `${podName}.${tokenObjectUid(podUid, volume, path).slice(4, 16)}`.slice(0, 253);
}
