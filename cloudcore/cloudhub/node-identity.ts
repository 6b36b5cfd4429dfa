import type { TLSSocket } from 'node:tls';
import { identityFromPeerCertificate } from '../../certs/index.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { NODE_GROUP, NODE_USER_PREFIX } from '../../shared/protocol/index.js';

export interface NodeIdentity {
  nodeName: string;
  /** Lower-case hex without separators, as the node-certificate registry keys it. */
  serialHex: string;
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The node a connection speaks for, read only from its verified client certificate
 * (protocol.md R1): CN `system:node:<name>` and O `system:nodes`. TLS has already checked the
 * chain (rejectUnauthorized), so a certificate here was signed by the cluster CA.
 */
export function nodeIdentityOf(socket: TLSSocket, verifyNode?: (nodeName: string, serialHex: string) => boolean): Result<NodeIdentity> {
  if (!socket.authorized) return fail('Unauthorized', `client certificate not accepted: ${String(socket.authorizationError ?? 'none presented')}`);
  const peer = socket.getPeerCertificate();
  // A resumed TLS session skips the chain check, and its certificate is the one of the first
  // handshake: it may have expired since (docs/reconnect-storms.md § Resumption).
  if (!(Date.parse(peer.valid_to) > Date.now())) return fail('Unauthorized', `client certificate expired (${peer.valid_to})`);
  const identity = identityFromPeerCertificate(peer);
  if (identity === undefined) return fail('Unauthorized', 'client certificate has no single CN');
  if (!identity.user.startsWith(NODE_USER_PREFIX) || !identity.groups.includes(NODE_GROUP)) {
    return fail('Forbidden', `${identity.user} is not a node identity (needs CN ${NODE_USER_PREFIX}<name> and O ${NODE_GROUP})`);
  }
  const nodeName = identity.user.slice(NODE_USER_PREFIX.length);
  if (nodeName.length === 0 || nodeName.length > 253 || !NODE_NAME.test(nodeName)) return fail('Forbidden', `invalid node name ${JSON.stringify(nodeName)}`);
  const serialHex = String(peer.serialNumber ?? '').replace(/:/g, '').toLowerCase();
  return stillAccepted({ nodeName, serialHex }, verifyNode);
}

/** Asks the node-certificate registry (when there is one) whether this certificate still counts. */
export function stillAccepted(identity: NodeIdentity, verifyNode?: (nodeName: string, serialHex: string) => boolean): Result<NodeIdentity> {
  if (verifyNode !== undefined && !verifyNode(identity.nodeName, identity.serialHex)) {
    return fail('Forbidden', `certificate ${identity.serialHex} of node ${identity.nodeName} is revoked or superseded`);
  }
  return ok(identity);
}
