/**
 * POST /v1/join as a list of named steps: check the token (format, CA pin, the stored Secret,
 * secret, revocation, expiry, node binding), protect a live node's name, sign the CSR as a node
 * certificate, and record it. Every refusal says what was wrong and what to do about it.
 */
import { readTokenSecret, parseJoinToken, signCsr, tokenSecretMatches, tokenSecretName, TOKEN_NAMESPACE, type CertificateAuthority, type StoredJoinToken } from '../../certs/index.js';
import type { ApiContext } from '../apiserver/index.js';
import { liveCertificate } from './node-certificate-record.js';
import type { NodeCertificateStore } from './node-certificate-registry.js';
import type { JoinRequest } from './request-schemas.js';

export interface BootstrapRefusal {
  status: number;
  code: string;
  message: string;
  /** True for a refusal caused by a bad token: it counts against the source's rate limit. */
  tokenFailure?: boolean;
}

export type StepResult<T> = { ok: true; value: T } | { ok: false; refusal: BootstrapRefusal };

export interface SignerSettings {
  ca: CertificateAuthority;
  caHash: string;
  lifetimeSeconds: number;
}

export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';

const refuse = (status: number, code: string, message: string, tokenFailure = false): { ok: false; refusal: BootstrapRefusal } => ({
  ok: false,
  refusal: { status, code, message, ...(tokenFailure ? { tokenFailure } : {}) },
});

/** The one answer for an unknown token id and a wrong secret. */
export const unknownOrWrongSecret = (id: string): string => `token ${id} does not exist or its secret is wrong: check the token, or ask for a new one (outpost token create)`;

export async function checkToken(api: ApiContext, signer: SignerSettings, text: string): Promise<StepResult<StoredJoinToken>> {
  const parsed = parseJoinToken(text);
  if (!parsed.ok) return refuse(401, 'InvalidToken', parsed.message, true);
  const token = parsed.value;
  if (token.caHash !== signer.caHash) {
    return refuse(401, 'CaMismatch', "the token was made for another cluster: its CA hash does not match this cloud's CA", true);
  }
  const secrets = api.registry.get('', 'v1', 'secrets');
  if (secrets === undefined) return refuse(503, 'Unavailable', 'secrets are not served');
  const obj = await api.objects.get(secrets, TOKEN_NAMESPACE, tokenSecretName(token.id));
  // An unknown id and a wrong secret get one answer, so a caller cannot learn which ids exist
  // (docs/limits.md § Join).
  const stored = obj === undefined ? undefined : readTokenSecret(obj);
  if (stored === undefined || !stored.ok || !tokenSecretMatches(token.secret, stored.value.secretHash)) {
    return refuse(401, 'InvalidToken', unknownOrWrongSecret(token.id), true);
  }
  if (stored.value.revokedAt !== undefined) {
    return refuse(401, 'TokenRevoked', `token ${token.id} was revoked at ${stored.value.revokedAt.toISOString()}: ask for a new one (outpost token create)`, true);
  }
  const now = api.now();
  if (stored.value.expiresAt !== undefined && stored.value.expiresAt <= now) {
    return refuse(401, 'TokenExpired', `token ${token.id} expired at ${stored.value.expiresAt.toISOString()}: ask for a new one (outpost token create)`, true);
  }
  return { ok: true, value: stored.value };
}

export function checkNodeBinding(token: StoredJoinToken, nodeName: string): StepResult<void> {
  if (token.nodeName !== undefined && token.nodeName !== nodeName) {
    return refuse(403, 'TokenNodeMismatch', `token ${token.id} was made for node "${token.nodeName}" and cannot join as "${nodeName}"`);
  }
  return { ok: true, value: undefined };
}

/** A live node keeps its name unless the token was made for exactly that name. */
export function checkNameFree(registry: NodeCertificateStore, token: StoredJoinToken, nodeName: string, now: Date): StepResult<void> {
  const live = liveCertificate(registry.record(nodeName), now);
  if (live === undefined || token.nodeName === nodeName) return { ok: true, value: undefined };
  return refuse(
    409,
    'NodeNameInUse',
    `node name "${nodeName}" belongs to a node whose certificate is valid until ${live.notAfter.toISOString()}: ` +
      `pick another name, delete the Node (kubectl delete node ${nodeName}) to revoke it, or join with a token made for it (outpost token create --node-name ${nodeName})`,
  );
}

export interface SignedNodeCertificate {
  certPem: string;
  serial: string;
  notAfter: Date;
}

/** The CSR gives only its public key: CN, O, usages and lifetime are ours (certs/csr.ts). */
export async function signNodeCertificate(signer: SignerSettings, csrPem: string, nodeName: string): Promise<StepResult<SignedNodeCertificate>> {
  const signed = await signCsr({
    ca: signer.ca,
    csrPem,
    commonName: `${NODE_USER_PREFIX}${nodeName}`,
    organizations: [NODES_GROUP],
    usages: 'client',
    lifetimeDays: signer.lifetimeSeconds / 86_400,
  });
  if (!signed.ok) return refuse(400, 'InvalidCsr', signed.message);
  return { ok: true, value: { certPem: signed.value.certPem, serial: signed.value.serialNumber, notAfter: signed.value.notAfter } };
}

export async function joinNode(api: ApiContext, registry: NodeCertificateStore, signer: SignerSettings, request: JoinRequest): Promise<StepResult<SignedNodeCertificate>> {
  const token = await checkToken(api, signer, request.token);
  if (!token.ok) return token;
  const bound = checkNodeBinding(token.value, request.nodeName);
  if (!bound.ok) return bound;
  return registry.exclusive(request.nodeName, async () => {
    const free = checkNameFree(registry, token.value, request.nodeName, api.now());
    if (!free.ok) return free;
    const signed = await signNodeCertificate(signer, request.csr, request.nodeName);
    if (!signed.ok) return signed;
    await registry.recordJoin(request.nodeName, { serial: signed.value.serial, notAfter: signed.value.notAfter });
    return signed;
  });
}

