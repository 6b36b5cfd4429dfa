import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

/**
 * Closes a server and every connection it still holds (keep-alive sockets, long watches), so a
 * stop never waits on an idle client. Resolves once the listener is closed.
 */
export function closeServer(server: HttpServer | HttpsServer): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
