/**
 * When a node certificate should be renewed: at a random point between 70% and 90% of its
 * lifetime, as kubelet's certificate manager does, so a fleet issued together does not renew
 * together. Our signer backdates notBefore by a few minutes for clock skew; that margin is not
 * lifetime, so it is left out (it matters for the short lifetimes tests use).
 */
import { X509Certificate } from 'node:crypto';
import { BACKDATE_MS } from './certificate-fields.js';

export const ROTATE_FROM = 0.7;
export const ROTATE_UNTIL = 0.9;

export interface CertificateWindow {
  notBefore: Date;
  notAfter: Date;
  serialHex: string;
}

export function certificateWindow(certPem: string): CertificateWindow {
  const cert = new X509Certificate(certPem);
  return { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo), serialHex: normalizeSerial(cert.serialNumber) };
}

/**
 * Serials compare as lower-case hex without separators or leading zeros, whichever API printed
 * them (node:tls, X509Certificate, @peculiar/x509).
 */
export function normalizeSerial(serial: string): string {
  return serial.toLowerCase().replace(/[^0-9a-f]/g, '').replace(/^0+(?=.)/, '');
}

/** `random` is in [0, 1); injectable so tests can pin the point. */
export function rotationDeadline(window: { notBefore: Date; notAfter: Date }, random: () => number = Math.random): Date {
  const notAfter = window.notAfter.getTime();
  const backdated = window.notBefore.getTime();
  const issued = notAfter - backdated > BACKDATE_MS ? backdated + BACKDATE_MS : backdated;
  const lifetime = notAfter - issued;
  const fraction = ROTATE_FROM + (ROTATE_UNTIL - ROTATE_FROM) * random();
  return new Date(issued + lifetime * fraction);
}
