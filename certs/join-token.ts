/**
 * Join tokens, shaped like Kubernetes bootstrap tokens with the CA pin in front:
 * `<sha256 hex of the CA certificate's DER>.<id>.<secret>`. The id ([a-z0-9]{6}) names the token
 * and is not secret; the secret ([a-z0-9]{16}, ~82 bits) is never stored, only its SHA-256. The
 * CA hash lets a new edge trust the cloud's CA before it has any other credential (kubeadm's
 * --discovery-token-ca-cert-hash, folded into the token).
 */
import { createHash, randomInt, timingSafeEqual, X509Certificate } from 'node:crypto';
import { errorMessage, fail, ok, type Result } from '../shared/errors.js';

export const TOKEN_ID_LENGTH = 6;
export const TOKEN_SECRET_LENGTH = 16;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_PATTERN = /^([0-9a-f]{64})\.([a-z0-9]{6})\.([a-z0-9]{16,64})$/;

export interface JoinToken {
  /** sha256 of the CA certificate's DER, lower-case hex. */
  caHash: string;
  id: string;
  secret: string;
}

function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function generateJoinToken(caHash: string): JoinToken {
  return { caHash, id: randomString(TOKEN_ID_LENGTH), secret: randomString(TOKEN_SECRET_LENGTH) };
}

export function formatJoinToken(token: JoinToken): string {
  return `${token.caHash}.${token.id}.${token.secret}`;
}

/** Parses a token; the message never repeats the secret. */
export function parseJoinToken(text: string): Result<JoinToken, 'Invalid'> {
  const match = TOKEN_PATTERN.exec(text.trim());
  if (match === null) {
    return fail('Invalid', 'malformed join token: expected <64 hex digits of the CA hash>.<6-character id>.<secret> (as printed by `outpost token create`)');
  }
  return ok({ caHash: match[1] ?? '', id: match[2] ?? '', secret: match[3] ?? '' });
}

/** sha256 of the certificate's DER (what `openssl x509 -outform der | sha256sum` prints). */
export function caCertificateHash(certPem: string): Result<string, 'Invalid'> {
  try {
    return ok(createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex'));
  } catch (err) {
    return fail('Invalid', `CA certificate cannot be parsed: ${errorMessage(err)}`);
  }
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored hash in constant time. */
export function tokenSecretMatches(secret: string, storedHashHex: string): boolean {
  const presented = Buffer.from(hashTokenSecret(secret), 'hex');
  const stored = Buffer.from(storedHashHex, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** Parses a Go-style duration as `--ttl` takes it: 24h, 30m, 90s, 1h30m; 0 means never expires. */
export function parseDuration(text: string): Result<number, 'Invalid'> {
  if (text === '0') return ok(0);
  const parts = [...text.matchAll(/(\d+)(h|m|s|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    return fail('Invalid', `invalid duration "${text}": use e.g. 24h, 30m, 1h30m or 0 (never expires)`);
  }
  const unit: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
  return ok(parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] ?? 's'] ?? 1), 0));
}
