import { isIP } from 'node:net';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/**
 * The edge's side of TLS session resumption (docs/reconnect-storms.md § Resumption): it keeps the
 * last session ticket CloudHub sent and offers it on the next dial, so a reconnect after a cloud
 * restart costs the cloud no certificate signature and no chain check. The ticket carries the
 * certificate it was issued for, so it is offered only with that same certificate: after a
 * renewal the edge makes a full handshake with the new one.
 */
export class TlsSessionCache {
  private kept: { session: Buffer; certPem: string } | undefined;

  /** The ticket to offer with this certificate, if any. */
  sessionFor(certPem: string): Buffer | undefined {
    return this.kept?.certPem === certPem ? this.kept.session : undefined;
  }

  keep(session: Buffer, certPem: string): void {
    this.kept = { session, certPem };
  }

  /** After a refusal: the next handshake is a full one. */
  forget(): void {
    this.kept = undefined;
  }
}

type DialOptions = ConnectionOptions & { path?: string | undefined };

/**
 * A `createConnection` for ws that offers `session` and hands every ticket the server sends to
 * `onSession`. It does what ws's own TLS dial does (no IPC path, no SNI for an IP address).
 */
export function resumingDial(session: Buffer | undefined, onSession: (session: Buffer) => void): (options: DialOptions) => TLSSocket {
  return (options) => {
    const host = options.host ?? '';
    const servername = options.servername !== undefined ? options.servername : isIP(host) === 0 ? host : '';
    const socket = connect({ ...options, path: undefined, servername, ...(session !== undefined ? { session } : {}) } as ConnectionOptions);
    socket.on('session', onSession);
    return socket;
  };
}
