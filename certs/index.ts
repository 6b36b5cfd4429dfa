export { CA_CERT_FILE, CA_KEY_FILE, CA_LIFETIME_DAYS, createCa, ensureCa, loadCa } from './ca.js';
export type { CaOptions, EnsuredCa } from './ca.js';
export { ADMIN_SUBJECT, KUBERNETES_SERVICE_NAMES, defaultApiHosts, ensureCloudPki } from './cloud-pki.js';
export type { CloudPki, CloudPkiOptions } from './cloud-pki.js';
export { MAX_CSR_PEM_BYTES, signCsr } from './csr.js';
export { readCertificateRequest } from './csr-request.js';
export type { CertificateRequestInfo } from './csr-request.js';
export type { SignCsrOptions } from './csr.js';
export { identityFromPeerCertificate, parseCertificateIdentity } from './identity.js';
export { issueCertificate } from './issue.js';
export type { IssueCertificateOptions, IssuedCertificate, IssuedCertificateWithKey, PublicKeyInput } from './issue.js';
export { importSigningKey } from './keys.js';
export { buildKubeconfig, writeKubeconfig } from './kubeconfig.js';
export type { KubeconfigOptions } from './kubeconfig.js';
export { RENEW_WITHIN_DAYS, reasonToReissue } from './renewal.js';
export { createTokenAuthenticator, generateToken, parseTokenFile } from './tokens.js';
export type { TokenAuthenticator, TokenEntry } from './tokens.js';
export type {
  CertificateAndKey,
  CertificateAuthority,
  CertificateIdentity,
  CertificateSubject,
  CertificateUsages,
  Clock,
  UserIdentity,
} from './types.js';
export { caCertificateHash, formatJoinToken, generateJoinToken, hashTokenSecret, parseDuration, parseJoinToken, tokenSecretMatches } from './join-token.js';
export type { JoinToken } from './join-token.js';
export { buildTokenSecret, readTokenSecret, rfc3339, tokenSecretName, TOKEN_NAMESPACE, TOKEN_SECRET_PREFIX, TOKEN_SECRET_TYPE } from './join-token-secret.js';
export type { StoredJoinToken } from './join-token-secret.js';
export { certificateWindow, normalizeSerial, rotationDeadline, ROTATE_FROM, ROTATE_UNTIL } from './rotation.js';
export type { CertificateWindow } from './rotation.js';
export { certificateMatchesKey, createKeyAndCsr } from './node-csr.js';
export type { KeyAndCsr } from './node-csr.js';
export { ensurePrivateDir, PUBLIC_FILE_MODE, readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from './files.js';
