import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import { errorMessage } from '../../shared/errors.js';

/**
 * Entry point of a baseline server process (forked by baselines.ts): `ws-echo` is a websocket
 * echo over HTTPS, `tls` a plain TLS server that only completes handshakes. Both use cloudcore's
 * own serving certificate and require a client certificate from the cluster CA, exactly as
 * CloudHub does, so the only difference from CloudHub is the work behind the socket.
 * It reports its port over IPC and exits when its parent disconnects.
 */
const [mode, certFile, keyFile, caFile] = process.argv.slice(2);

function main(): void {
  if ((mode !== 'ws-echo' && mode !== 'tls') || certFile === undefined || keyFile === undefined || caFile === undefined) {
    throw new Error('usage: baseline-server.js ws-echo|tls CERT KEY CA');
  }
  const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile), ca: readFileSync(caFile), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' as const };
  const listening = (address: AddressInfo | string | null): void => {
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  };
  if (mode === 'tls') {
    const server = createTlsServer(tls, (socket: TLSSocket) => {
      // Nothing to do after the handshake: the client closes when the storm is over.
      socket.on('error', () => socket.destroy());
    });
    server.listen(0, '127.0.0.1', () => listening(server.address()));
  } else {
    const server = createHttpsServer(tls);
    const wss = new WebSocketServer({ server, perMessageDeflate: false });
    wss.on('connection', (ws) => {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      ws.on('error', () => ws.terminate());
    });
    server.listen(0, '127.0.0.1', () => listening(server.address()));
  }
  process.on('disconnect', () => process.exit(0));
}

try {
  main();
} catch (err) {
  console.error(`baseline server: ${errorMessage(err)}`);
  process.exit(1);
}
