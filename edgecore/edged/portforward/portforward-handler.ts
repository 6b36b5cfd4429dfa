/**
 * Serves `kubectl port-forward` on the edge: a port-forward stream request (docs/protocol.md R44)
 * is one TCP connection to the pod's port, dialled from the host to the pod's address on the
 * bridge (pod-address.ts). The pod's bytes go up at the pace the stream's credit allows (the
 * socket is not read meanwhile); the client's bytes go to the pod and become credit again once
 * the socket took them; the client's half-close ends the socket's writing side. The stream ends
 * when the pod's side ends, with the dial's or the socket's error if there was one.
 */
import { connect, type Socket } from 'node:net';
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import type { PortForwardRequest } from '../../../shared/protocol/index.js';
import type { CriClient } from '../cri/index.js';
import type { ExecSink } from '../exec/index.js';
import { podAddress } from './pod-address.js';

export interface PortForwardHandlerOptions {
  cri: CriClient;
  logger: Logger;
  /** How long a dial may take before it fails; under the cloud's 30 s answer time (R27). */
  connectTimeoutMs?: number;
}

export type PortForwardHandler = (request: PortForwardRequest, sink: ExecSink) => void;

export function createPortForwardHandler(options: PortForwardHandlerOptions): PortForwardHandler {
  return (request, sink) => {
    serve(options, request, sink).catch((err: unknown) => {
      options.logger.warn({ err: errorMessage(err), pod: `${request.namespace}/${request.name}`, port: request.port }, 'port-forward failed');
      sink.end({ code: 'Internal', message: errorMessage(err) });
    });
  };
}

async function serve(options: PortForwardHandlerOptions, request: PortForwardRequest, sink: ExecSink): Promise<void> {
  const address = await podAddress(options.cri, request);
  if (!address.ok) return sink.end({ code: address.code, message: address.message });
  if (sink.signal.aborted) return;
  const socket = connect({ host: address.value, port: request.port });
  relaySocket(socket, `${address.value}:${request.port}`, sink, options.connectTimeoutMs ?? 20_000);
}

/** Relays one connected (or connecting) socket to the stream; exported for its unit test. */
export function relaySocket(socket: Socket, address: string, sink: ExecSink, connectTimeoutMs: number): void {
  let connected = false;
  let failure: string | undefined;
  let output: Promise<unknown> = Promise.resolve();
  const timer = setTimeout(() => socket.destroy(new Error(`dial tcp ${address}: i/o timeout`)), connectTimeoutMs);
  timer.unref();
  socket.once('connect', () => {
    clearTimeout(timer);
    connected = true;
    sink.accept();
  });
  socket.on('data', (chunk: Buffer) => {
    socket.pause();
    output = output.then(async () => {
      if (await sink.write(chunk, 'stdout')) socket.resume();
      else socket.destroy();
    });
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    failure ??= describeSocketError(err, address, connected);
  });
  socket.once('close', () => {
    clearTimeout(timer);
    // The end goes after the output still on its way, as for exec (R32).
    void output.then(() => sink.end(failure === undefined ? undefined : { code: connected ? 'Internal' : 'Unavailable', message: failure }));
  });
  sink.signal.addEventListener('abort', () => socket.destroy(), { once: true });
  sink.onInput((input) => {
    if (input.data.length > 0) socket.write(input.data, () => sink.consumed(input.data.length));
    if (input.eof) socket.end();
  });
}

/** Go's dial errors, as kubelet's port-forward reports them: `dial tcp 10.42.0.7:80: connect: connection refused`. */
function describeSocketError(err: NodeJS.ErrnoException, address: string, connected: boolean): string {
  if (!connected && err.code === 'ECONNREFUSED') return `dial tcp ${address}: connect: connection refused`;
  if (!connected && err.code === 'EHOSTUNREACH') return `dial tcp ${address}: connect: no route to host`;
  if (!connected && err.code === undefined) return err.message;
  return `${connected ? 'read/write' : 'dial'} tcp ${address}: ${err.message}`;
}
