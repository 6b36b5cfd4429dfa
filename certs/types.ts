import type { webcrypto } from 'node:crypto';
import type { X509Certificate } from '@peculiar/x509';

/** Where lifetimes are decided, time comes from here so tests can move it. */
export type Clock = () => Date;

/** A cluster CA ready to sign: its PEM files plus the parsed certificate and the signing key. */
export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  certificate: X509Certificate;
  privateKey: webcrypto.CryptoKey;
}

/** A certificate with its private key, both PEM (key is PKCS#8). */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** Which extended key usages a leaf certificate gets. */
export type CertificateUsages = 'server' | 'client' | 'both';

/** Kubernetes identity from a certificate: CN is the user, O the groups. */
export interface CertificateSubject {
  commonName: string;
  organizations?: string[];
}

/** Who a request is, as the API server's authenticators report it. */
export interface UserIdentity {
  user: string;
  uid?: string;
  groups: string[];
}

/** A certificate's identity plus when it stops being valid. */
export interface CertificateIdentity extends UserIdentity {
  notAfter: Date;
}
