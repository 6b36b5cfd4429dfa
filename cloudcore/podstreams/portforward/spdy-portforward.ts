/**
 * Serves `kubectl port-forward` over SPDY/3.1 as kubelet's streaming server does (protocol
 * `portforward.k8s.io`; docs/kubectl.md § port-forward): for each local connection kubectl opens
 * an error stream and a data stream, both with the headers `streamtype`, `port` and `requestid`;
 * once both of a request are there, the connection is forwarded over a node stream (docs/protocol.md
 * R44). The same server runs on a raw socket (kubectl 1.27–1.29, and newer ones falling back) and
 * inside a websocket (`SPDY/3.1+portforward.k8s.io`, kubectl ≥ 1.30), whose binary messages carry
 * the SPDY bytes.
 */
import type { Duplex } from 'node:stream';
import type { Result } from '../../../shared/errors.js';
import type { PortForwardRequest } from '../../../shared/protocol/index.js';
import { controlFrame, createFrameReader, createHeaderBlockReader, dataFrame, FLAG_FIN, FRAME, headerBlock, readSynStream, rstStreamFrame, synReplyFrame, type SpdyFrame } from '../../../shared/spdy/index.js';
import type { HubStream } from '../../cloudhub/index.js';
import { forwardConnection, forwardingError, type ForwardedConnection } from './forwarded-connection.js';

/** RST_STREAM status codes (§ 2.6.3). */
const RST = { protocolError: 1, refused: 3 } as const;
/** One DATA frame carries at most this much, as the edge's stream chunks do (R28). */
const CHUNK = 32 * 1024;
/** A frame the client sends may be this large; kubectl's are at most 32 KiB (io.Copy's buffer). */
const MAX_FRAME_BYTES = 1024 * 1024;
/** Requests one connection may have open or half-opened at once; the node takes 64 streams (R30). */
const MAX_REQUESTS = 128;
/**
 * Client bytes one request may have waiting for the edge's credit before the whole connection
 * stops being read: a pod that reads slowly holds back only its own connection until then.
 */
const MAX_WAITING_INPUT = 64 * 1024;

/** The pod a port-forward reaches; each forwarded connection adds its port. */
export type PortForwardPod = Omit<PortForwardRequest, 'type' | 'port'>;

interface PortRequest {
  port: number;
  errorId?: number;
  dataId?: number;
  connection?: ForwardedConnection;
  /** The client reset the data stream: nothing more is written to it. */
  dataReset: boolean;
  /** Client bytes handed to the connection and not yet on their way to the edge. */
  waitingInput: number;
}

/** Resolves when the client's connection closed; every forwarded connection is cancelled then. */
export async function servePortForwardSpdy(socket: Duplex, head: Buffer, pod: PortForwardPod, open: (request: PortForwardRequest) => Result<HubStream>): Promise<void> {
  const headers = createHeaderBlockReader();
  const requests = new Map<string, PortRequest>();
  const byStream = new Map<number, { requestId: string; type: 'data' | 'error' }>();
  let repliedOnce = false;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  const write = (frame: Buffer): Promise<boolean> => {
    if (socket.destroyed || !socket.writable) return Promise.resolve(false);
    return new Promise((resolve) => socket.write(frame, (err) => resolve(err === undefined || err === null)));
  };

  const start = (requestId: string, request: PortRequest, errorId: number, dataId: number): void => {
    const target: PortForwardRequest = { type: 'portforward', ...pod, port: request.port };
    const finish = (error: string | undefined): void => {
      // As kubelet: the message first, then the data stream's FIN, then the error stream's FIN.
      if (socket.writable) {
        if (error !== undefined) socket.write(dataFrame(errorId, Buffer.from(error), false));
        if (!request.dataReset) socket.write(dataFrame(dataId, Buffer.alloc(0), true));
        socket.write(dataFrame(errorId, Buffer.alloc(0), true));
      }
      requests.delete(requestId);
      byStream.delete(errorId);
      byStream.delete(dataId);
    };
    const opened = open(target);
    if (!opened.ok) return finish(forwardingError(target, opened.message));
    request.connection = forwardConnection(opened.value, target, {
      async send(data) {
        for (let offset = 0; offset < data.length; offset += CHUNK) {
          if (request.dataReset || !(await write(dataFrame(dataId, data.subarray(offset, offset + CHUNK), false)))) return false;
        }
        return true;
      },
      finish,
    });
  };

  const onSynStream = (payload: Buffer): void => {
    const syn = readSynStream(payload);
    if (syn === undefined) return void socket.destroy();
    const pairs = headers.read(syn.block);
    if (!pairs.ok) return void socket.destroy(); // the header stream is broken for good
    const type = pairs.value.streamtype;
    const port = Number(pairs.value.port ?? '');
    if ((type !== 'data' && type !== 'error') || !Number.isInteger(port) || port < 1 || port > 65535) return void socket.write(rstStreamFrame(syn.streamId, RST.protocolError));
    // Clients from before the requestid header: the error stream's id, and the data stream's id minus 2 (kubelet does the same).
    const requestId = pairs.value.requestid ?? String(type === 'error' ? syn.streamId : syn.streamId - 2);
    let request = requests.get(requestId);
    if (request === undefined) {
      if (requests.size >= MAX_REQUESTS) return void socket.write(rstStreamFrame(syn.streamId, RST.refused));
      request = { port, dataReset: false, waitingInput: 0 };
      requests.set(requestId, request);
    }
    const slot = type === 'error' ? 'errorId' : 'dataId';
    if (request[slot] !== undefined || request.port !== port) return void socket.write(rstStreamFrame(syn.streamId, RST.protocolError));
    request[slot] = syn.streamId;
    byStream.set(syn.streamId, { requestId, type });
    socket.write(synReplyFrame(syn.streamId, headerBlock({}, !repliedOnce), false));
    repliedOnce = true;
    if (request.errorId !== undefined && request.dataId !== undefined) start(requestId, request, request.errorId, request.dataId);
  };

  /** Requests whose waiting input is over the bound: while there is one, the socket is not read (R28). */
  const holding = new Set<PortRequest>();
  const onData = (frame: Extract<SpdyFrame, { control: false }>): void => {
    const found = byStream.get(frame.streamId);
    const request = found === undefined ? undefined : requests.get(found.requestId);
    const connection = request?.connection;
    // Nothing is read from the error stream; kubectl half-closes it at once.
    if (found?.type !== 'data' || request === undefined || connection === undefined) return;
    if (frame.data.length > 0) {
      const size = frame.data.length;
      request.waitingInput += size;
      if (request.waitingInput > MAX_WAITING_INPUT && !holding.has(request)) {
        holding.add(request);
        socket.pause();
      }
      void connection.input(frame.data).then(() => {
        request.waitingInput -= size;
        if (request.waitingInput <= MAX_WAITING_INPUT && holding.delete(request) && holding.size === 0) socket.resume();
      });
    }
    if ((frame.flags & FLAG_FIN) !== 0) connection.inputEnd();
  };

  const onReset = (payload: Buffer): void => {
    if (payload.length < 4) return;
    const found = byStream.get(payload.readUInt32BE(0) & 0x7fffffff);
    const request = found === undefined ? undefined : requests.get(found.requestId);
    if (found?.type !== 'data' || request === undefined) return;
    request.dataReset = true;
    request.connection?.cancel('the client reset the connection');
  };

  const onFrame = (frame: SpdyFrame): void => {
    if (!frame.control) return onData(frame);
    if (frame.type === FRAME.synStream) return onSynStream(frame.payload);
    if (frame.type === FRAME.rstStream) return onReset(frame.payload);
    // A PING is answered with the same frame (§ 2.6.5): kubectl ≥ 1.30 pings its tunnel.
    if (frame.type === FRAME.ping) return void socket.write(controlFrame(FRAME.ping, 0, frame.payload));
    if (frame.type === FRAME.goAway) socket.end();
    // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for port-forward.
  };

  const readFrame = createFrameReader(onFrame, MAX_FRAME_BYTES + 8);
  const onBytes = (chunk: Buffer): void => {
    if (!readFrame(chunk)) socket.destroy();
  };
  socket.on('data', onBytes);
  if (head.length > 0) onBytes(head);
  await closed;
  for (const request of requests.values()) request.connection?.cancel('the client went away');
  requests.clear();
}
