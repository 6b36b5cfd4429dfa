import { z } from 'zod';

/**
 * The claims of a bound service-account token, as Kubernetes' TokenRequest writes them
 * (pkg/serviceaccount/claims.go): registered claims plus a private `kubernetes.io` claim naming
 * the namespace, the service account and the object the token is bound to (pod, secret or node).
 */
const boundObject = z.object({ name: z.string(), uid: z.string() });

export const privateClaimsSchema = z.object({
  namespace: z.string(),
  serviceaccount: boundObject,
  pod: boundObject.optional(),
  secret: boundObject.optional(),
  node: boundObject.optional(),
  /** Set on tokens whose lifetime was extended (see docs): a client should have rotated by then. */
  warnafter: z.number().int().optional(),
});

export const serviceAccountClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]).transform((a) => (typeof a === 'string' ? [a] : a)),
  exp: z.number().int(),
  iat: z.number().int(),
  nbf: z.number().int(),
  jti: z.string().optional(),
  'kubernetes.io': privateClaimsSchema,
});

export type ServiceAccountClaims = z.output<typeof serviceAccountClaimsSchema>;
export type ServiceAccountClaimsInput = z.input<typeof serviceAccountClaimsSchema>;
