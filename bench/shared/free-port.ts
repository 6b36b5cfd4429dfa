import { createServer, type AddressInfo } from 'node:net';

/**
 * A loopback port free right now: bound to 0, read back, released. cloudcore is then started on
 * it explicitly, so that a restart can take the very same port again.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
