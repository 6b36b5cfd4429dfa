/**
 * POST /v1/renew: the node proves who it is with its current certificate over mTLS, and only
 * that certificate names the node. A body naming another node is refused, never obeyed.
 */
import type { PeerCertificate } from 'node:tls';
import { identityFromPeerCertificate, normalizeSerial } from '../../certs/index.js';
import type { ApiContext } from '../apiserver/index.js';
import { NODE_USER_PREFIX, NODES_GROUP, signNodeCertificate, type SignedNodeCertificate, type SignerSettings, type StepResult } from './join-steps.js';
import type { NodeCertificateStore } from './node-certificate-registry.js';
import type { RenewRequest } from './request-schemas.js';

export interface PeerState {
  authorized: boolean;
  authorizationError: string | undefined;
  certificate: PeerCertificate | Record<string, never> | undefined;
}

export interface NodePeer {
  nodeName: string;
  serial: string;
}

const refuse = (status: number, code: string, message: string): { ok: false; refusal: { status: number; code: string; message: string } } => ({
  ok: false,
  refusal: { status, code, message },
});

export function nodeFromPeer(peer: PeerState): StepResult<NodePeer> {
  const cert = peer.certificate;
  if (cert === undefined || !('serialNumber' in cert)) {
    return refuse(401, 'ClientCertificateRequired', 'renewal needs the node certificate as the TLS client certificate');
  }
  if (!peer.authorized) {
    if (peer.authorizationError === 'CERT_HAS_EXPIRED') {
      return refuse(401, 'CertificateExpired', 'the node certificate has expired: join again with a token made for this node (outpost token create --node-name NAME)');
    }
    return refuse(401, 'CertificateInvalid', `the client certificate is not trusted (${peer.authorizationError ?? 'unknown reason'})`);
  }
  const identity = identityFromPeerCertificate(cert);
  if (identity === undefined || !identity.user.startsWith(NODE_USER_PREFIX) || !identity.groups.includes(NODES_GROUP)) {
    return refuse(403, 'NotANodeCertificate', `only node certificates (CN ${NODE_USER_PREFIX}<name>, O ${NODES_GROUP}) can be renewed here`);
  }
  return { ok: true, value: { nodeName: identity.user.slice(NODE_USER_PREFIX.length), serial: normalizeSerial(cert.serialNumber) } };
}

export async function renewNode(
  api: ApiContext,
  registry: NodeCertificateStore,
  signer: SignerSettings,
  peer: PeerState,
  request: RenewRequest,
): Promise<StepResult<SignedNodeCertificate>> {
  const node = nodeFromPeer(peer);
  if (!node.ok) return node;
  const { nodeName, serial } = node.value;
  if (request.nodeName !== undefined && request.nodeName !== nodeName) {
    return refuse(403, 'NodeMismatch', `this certificate identifies node "${nodeName}"; it cannot renew a certificate for node "${request.nodeName}"`);
  }
  return registry.exclusive(nodeName, async () => {
    if (!registry.isValid(nodeName, serial)) {
      return refuse(
        403,
        'CertificateRevoked',
        `certificate ${serial} of node "${nodeName}" was revoked or replaced: join again with a new token (outpost token create --node-name ${nodeName})`,
      );
    }
    const signed = await signNodeCertificate(signer, request.csr, nodeName);
    if (!signed.ok) return signed;
    await registry.recordRenewal(nodeName, serial, { serial: signed.value.serial, notAfter: signed.value.notAfter });
    return signed;
  });
}
