import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * Who is calling: a verified client certificate (CN = user, O = groups, as in Kubernetes) or a
 * bearer token from the static token file. Anything else is anonymous.
 */
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

export type TokenLookup = (token: string) => UserInfo | undefined;

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

export function authenticate(req: IncomingMessage, lookupToken: TokenLookup): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  // `authorized` is true only when the peer certificate chained to our CA (requestCert with
  // rejectUnauthorized=false lets us answer 401 ourselves instead of failing the handshake).
  if (socket.authorized) {
    const peer = socket.getPeerCertificate();
    const cn = peer?.subject?.CN;
    if (typeof cn === 'string' && cn !== '') {
      const o = peer.subject.O as string | string[] | undefined;
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      return { name: cn, groups: [...groups, 'system:authenticated'] };
    }
  }
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) {
    const user = lookupToken(header.slice('Bearer '.length).trim());
    if (user !== undefined) return { ...user, groups: [...user.groups, 'system:authenticated'] };
  }
  return undefined;
}
