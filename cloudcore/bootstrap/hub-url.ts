/**
 * The hub address told to a joining edge: the host the edge used to reach this endpoint (it
 * evidently routes to us, and the serving certificate covers it if the bootstrap's did) with the
 * hub's bound port. A Host header that is not a plain host[:port] falls back to our local address.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*$/;

export function hubUrlFor(req: IncomingMessage, hubPort: number | undefined): string {
  if (hubPort === undefined) return '';
  return `wss://${formatHost(requestHost(req))}:${hubPort}`;
}

export function requestHost(req: IncomingMessage): string {
  const header = req.headers.host ?? '';
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d+)?$/.exec(header);
  if (bracketed !== null && isIP(bracketed[1] ?? '') === 6) return bracketed[1] ?? '';
  const host = header.replace(/:\d+$/, '');
  if (host !== '' && (isIP(host) === 4 || HOSTNAME.test(host))) return host;
  return req.socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
}

export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
