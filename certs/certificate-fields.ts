/**
 * Fields every certificate we sign shares: validity windows, serial numbers and subject names.
 */
import { randomBytes } from 'node:crypto';
import type { JsonName } from '@peculiar/x509';
import type { CertificateSubject } from './types.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start 5 minutes in the past so a peer whose clock lags a little accepts them. */
export const BACKDATE_MS = 5 * 60 * 1000;

export interface ValidityWindow {
  notBefore: Date;
  notAfter: Date;
}

/** notBefore = now - 5 min; notAfter = now + lifetime, cut at `latest` (the CA's own notAfter). */
export function validityWindow(now: Date, lifetimeDays: number, latest?: Date): ValidityWindow {
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  let notAfter = new Date(now.getTime() + lifetimeDays * DAY_MS);
  if (latest !== undefined && notAfter.getTime() > latest.getTime()) notAfter = new Date(latest.getTime());
  return { notBefore, notAfter };
}

export function isValidLifetimeDays(days: number): boolean {
  return Number.isFinite(days) && days > 0;
}

/**
 * A random positive 128-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets). The top bit is
 * cleared so DER never needs a sign octet, and the first octet is non-zero so the encoding is
 * minimal, which Go's parser (kubectl) insists on.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  const first = (bytes[0] ?? 0) & 0x7f;
  bytes[0] = first === 0 ? 1 : first;
  return bytes.toString('hex');
}

/** Subject as RDNs: one O per group, then CN — the order Kubernetes' own certificates use. */
export function subjectName(subject: CertificateSubject): JsonName {
  const rdns: JsonName = (subject.organizations ?? []).map((o) => ({ O: [o] }));
  rdns.push({ CN: [subject.commonName] });
  return rdns;
}
