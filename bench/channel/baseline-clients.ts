import { performance } from 'node:perf_hooks';
import { connect, type SecureContext } from 'node:tls';
import WebSocket from 'ws';
import { errorMessage } from '../../shared/errors.js';
import type { DialLimiter } from './dial-limiter.js';

export interface EchoOutcome {
  connectedAt: number;
  connectFailures: number;
  roundTripsMs: number[];
  firstError?: string;
}

/**
 * The `ws` echo baseline, client side: one websocket per hollow node's credentials to the echo
 * server (same serving certificate, same mTLS), then round trips one at a time on connections
 * taken in turn. Same TLS, same library, no protocol: the floor under connect and change→ack.
 */
export async function runEchoClients(opts: { url: string; contexts: SecureContext[]; limiter: DialLimiter; roundTrips: number; frameBytes: number }): Promise<EchoOutcome> {
  const sockets: WebSocket[] = [];
  let connectFailures = 0;
  let firstError: string | undefined;
  await Promise.all(
    opts.contexts.map((secureContext) =>
      opts.limiter.run(
        () =>
          new Promise<void>((resolve) => {
            const options: WebSocket.ClientOptions & { secureContext: SecureContext } = { secureContext, perMessageDeflate: false, handshakeTimeout: 20_000 };
            const ws = new WebSocket(opts.url, options);
            ws.once('open', () => {
              sockets.push(ws);
              resolve();
            });
            ws.once('error', (err) => {
              connectFailures++;
              firstError ??= err.message;
              resolve();
            });
          }),
      ),
    ),
  );
  const connectedAt = Date.now();
  const payload = 'x'.repeat(opts.frameBytes);
  const roundTripsMs: number[] = [];
  for (let i = 0; i < opts.roundTrips && sockets.length > 0; i++) {
    const ws = sockets[i % sockets.length] as WebSocket;
    const started = performance.now();
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      ws.once('message', () => {
        clearTimeout(timer);
        resolve(true);
      });
      ws.send(payload);
    });
    if (ok) roundTripsMs.push(performance.now() - started);
    else firstError ??= 'echo round trip timed out after 10 s';
  }
  for (const ws of sockets) ws.terminate();
  return { connectedAt, connectFailures, roundTripsMs, ...(firstError === undefined ? {} : { firstError }) };
}

/**
 * The raw reconnect storm, client side: a fresh mutual-TLS handshake per node (no session
 * resumption, as the hollow edges and real edges have none), all through the dial limiter.
 * Returns when every handshake finished or failed.
 */
export async function runTlsStorm(opts: { host: string; port: number; contexts: SecureContext[]; limiter: DialLimiter }): Promise<{ doneAt: number; failures: number; firstError?: string }> {
  let failures = 0;
  let firstError: string | undefined;
  const open: Array<{ destroy(): void }> = [];
  await Promise.all(
    opts.contexts.map((secureContext) =>
      opts.limiter.run(
        () =>
          new Promise<void>((resolve) => {
            const socket = connect({ host: opts.host, port: opts.port, secureContext });
            socket.once('secureConnect', () => {
              open.push(socket);
              resolve();
            });
            socket.once('error', (err) => {
              failures++;
              firstError ??= errorMessage(err);
              resolve();
            });
          }),
      ),
    ),
  );
  const doneAt = Date.now();
  for (const s of open) s.destroy();
  return { doneAt, failures, ...(firstError === undefined ? {} : { firstError }) };
}
