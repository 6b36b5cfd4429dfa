import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { fail, ok, type Result } from '../errors.js';
import { serviceAccountClaimsSchema, type ServiceAccountClaims, type ServiceAccountClaimsInput } from './claims.js';

/**
 * Compact JWS (RFC 7515) with ES256 (RFC 7518 § 3.4: the signature is r||s, 64 bytes, which is
 * node's `dsaEncoding: 'ieee-p1363'`). Kubernetes signs service-account tokens with RS256 or
 * ES256; Outpost uses an EC P-256 key. `kid` names the key so keys can rotate.
 */
const headerSchema = z.object({ alg: z.literal('ES256'), kid: z.string(), typ: z.string().optional() });

const b64 = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

export function signServiceAccountToken(privateKey: KeyObject, keyId: string, claims: ServiceAccountClaimsInput): string {
  const header = b64(JSON.stringify({ alg: 'ES256', kid: keyId }));
  const payload = b64(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/** Looks like a JWT (three base64url parts): worth trying to verify, as opposed to an opaque token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

export interface VerifyOptions {
  /** Public keys by key id. */
  keys: ReadonlyMap<string, KeyObject>;
  issuer: string;
  /** The audiences this verifier serves: the token must name at least one. */
  audiences: readonly string[];
  /** Seconds since the epoch. */
  now: number;
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    // A part that is not base64url JSON is an invalid token, answered below as one.
    return undefined;
  }
}

/**
 * Checks signature, issuer, audience and time (Kubernetes allows 60 s of clock skew on nbf/exp,
 * pkg/serviceaccount/claims.go). Whether the service account and bound object still exist is the
 * caller's check: it needs the caller's view of the objects.
 */
export function verifyServiceAccountToken(token: string, options: VerifyOptions): Result<ServiceAccountClaims, 'Unauthorized'> {
  const parts = token.split('.');
  if (parts.length !== 3) return fail('Unauthorized', 'not a JWT');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = headerSchema.safeParse(decodeJson(headerPart));
  if (!header.success) return fail('Unauthorized', 'unsupported JWT header');
  const key = options.keys.get(header.data.kid);
  if (key === undefined) return fail('Unauthorized', 'unknown signing key');
  const signature = Buffer.from(signaturePart, 'base64url');
  const valid = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!valid) return fail('Unauthorized', 'invalid signature');
  const claims = serviceAccountClaimsSchema.safeParse(decodeJson(payloadPart));
  if (!claims.success) return fail('Unauthorized', 'invalid claims');
  const c = claims.data;
  if (c.iss !== options.issuer) return fail('Unauthorized', 'wrong issuer');
  if (!c.aud.some((a) => options.audiences.includes(a))) return fail('Unauthorized', 'token audiences do not match');
  const skew = 60;
  if (options.now > c.exp + skew) return fail('Unauthorized', 'token has expired');
  if (options.now + skew < c.nbf) return fail('Unauthorized', 'token not yet valid');
  return ok(c);
}

/** The JWK of a public key (RFC 7517), with its key id, as /openid/v1/jwks publishes it. */
export function publicJwk(key: KeyObject, keyId: string): Record<string, unknown> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return { ...publicKey.export({ format: 'jwk' }), kid: keyId, use: 'sig', alg: 'ES256' };
}

const jwkSchema = z.object({ kid: z.string(), kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() });

/** The key map a verifier needs, from a JWKS document ({ keys: [...] }); keys not EC P-256 are skipped. */
export function keysFromJwks(document: unknown): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const list = z.object({ keys: z.array(z.unknown()) }).safeParse(document);
  if (!list.success) return keys;
  for (const entry of list.data.keys) {
    const jwk = jwkSchema.safeParse(entry);
    if (!jwk.success) continue;
    const { kid, kty, crv, x, y } = jwk.data;
    keys.set(kid, createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' }));
  }
  return keys;
}
