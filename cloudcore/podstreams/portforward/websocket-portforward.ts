/**
 * Serves port-forward over a websocket with channels, as kubelet's websocket port-forward does
 * (subprotocol `v4.channel.k8s.io`, or none; docs/kubectl.md § port-forward): the `ports` of the
 * query fix the channels, 2·i for port i's data and 2·i+1 for its errors; every binary message is
 * one channel byte then bytes; the server's first message on each channel is the port as two
 * bytes, little-endian. Each port is one connection to the pod over its own node stream
 * (docs/protocol.md R44); a port that fails reports on its error channel and the others go on.
 * The websocket closes once every port's connection is over.
 */
import type WebSocket from 'ws';
import type { Result } from '../../../shared/errors.js';
import type { PortForwardRequest } from '../../../shared/protocol/index.js';
import type { HubStream } from '../../cloudhub/index.js';
import { forwardConnection, forwardingError, type ForwardedConnection } from './forwarded-connection.js';
import type { PortForwardPod } from './spdy-portforward.js';

export function servePortForwardWebsocket(ws: WebSocket, ports: number[], pod: PortForwardPod, open: (request: PortForwardRequest) => Result<HubStream>): void {
  const connections: Array<ForwardedConnection | undefined> = [];
  let remaining = ports.length;
  const send = (channel: number, data: Buffer): Promise<boolean> => {
    if (ws.readyState !== ws.OPEN) return Promise.resolve(false);
    return new Promise((resolve) => ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true }, (err) => resolve(err === undefined || err === null)));
  };
  const portDone = (): void => {
    remaining -= 1;
    if (remaining === 0 && ws.readyState === ws.OPEN) ws.close(1000);
  };

  ports.forEach((port, i) => {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port, 0);
    void send(2 * i, prefix);
    void send(2 * i + 1, prefix);
    const target: PortForwardRequest = { type: 'portforward', ...pod, port };
    const finish = (error: string | undefined): void => {
      if (error === undefined) return portDone();
      void send(2 * i + 1, Buffer.from(error)).then(portDone);
    };
    const opened = open(target);
    if (!opened.ok) return finish(forwardingError(target, opened.message));
    connections[i] = forwardConnection(opened.value, target, { send: (data) => send(2 * i, data), finish });
  });

  ws.on('message', (raw, isBinary) => {
    const message = toBuffer(raw);
    if (!isBinary || message.length < 1) return;
    const channel = message[0] ?? 0;
    // Only data channels carry input; what a client writes on an error channel means nothing.
    const connection = channel % 2 === 0 ? connections[channel / 2] : undefined;
    if (connection === undefined || message.length === 1) return;
    // The socket is not read while the edge has no credit for these bytes (R28).
    ws.pause();
    void connection.input(message.subarray(1)).then(() => ws.resume());
  });
  ws.on('close', () => {
    for (const connection of connections) connection?.cancel('the client went away');
  });
}

function toBuffer(raw: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
