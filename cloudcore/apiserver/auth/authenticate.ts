import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { identityFromPeerCertificate } from '../../../certs/identity.js';

/**
 * Who is calling: a verified client certificate (CN = user, O = groups, as in Kubernetes) or a
 * bearer token from the static token file. Anything else is anonymous.
 */
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  /** user.Info's extra values (from impersonation's Impersonate-Extra-* headers, or a token). */
  extra?: Record<string, string[]>;
}

export type TokenLookup = (token: string) => UserInfo | undefined;

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * The certificate identity of a connection, read once per TLS socket: a keep-alive connection
 * carries many requests and getPeerCertificate() is costly.
 */
const certificateUsers = new WeakMap<TLSSocket, UserInfo | null>();

function certificateUser(socket: TLSSocket): UserInfo | undefined {
  const cached = certificateUsers.get(socket);
  if (cached !== undefined) return cached ?? undefined;
  let user: UserInfo | null = null;
  // `authorized` is true only when the peer certificate chained to our CA (requestCert with
  // rejectUnauthorized=false lets us answer 401 ourselves instead of failing the handshake).
  if (socket.authorized) {
    const identity = identityFromPeerCertificate(socket.getPeerCertificate());
    if (identity !== undefined) user = { name: identity.user, groups: [...identity.groups, 'system:authenticated'] };
  }
  certificateUsers.set(socket, user);
  return user ?? undefined;
}

export function authenticate(req: IncomingMessage, lookupToken: TokenLookup): UserInfo | undefined {
  const fromCertificate = certificateUser(req.socket as TLSSocket);
  if (fromCertificate !== undefined) return fromCertificate;
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) {
    const user = lookupToken(header.slice('Bearer '.length).trim());
    if (user !== undefined) return { ...user, groups: [...user.groups, 'system:authenticated'] };
  }
  return undefined;
}
