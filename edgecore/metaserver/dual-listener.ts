import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';

/** The first byte of a TLS ClientHello record (content type "handshake", RFC 8446 § 5.1). */
const TLS_HANDSHAKE = 0x16;
const FIRST_BYTE_TIMEOUT_MS = 30_000;

export interface DualListener {
  server: Server;
  /** Ends every open connection (the protocol servers never listen, so they do not track them). */
  destroyAll(): void;
}

/**
 * One port, two protocols: plain HTTP (as KubeEdge's MetaServer, for kubectl and informers on
 * loopback) and HTTPS (for callers with a bearer token, which client-go sends only over TLS).
 * Each connection is handed to one of the two servers by its first byte.
 */
export function dualProtocolListener(http: HttpServer, https: HttpsServer): DualListener {
  const sockets = new Set<Socket>();
  const server = createServer((socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Until the protocol server takes over, a reset or an idle client just ends this socket.
    socket.on('error', () => socket.destroy());
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return {
    server,
    destroyAll() {
      for (const socket of sockets) socket.destroy();
    },
  };
}
