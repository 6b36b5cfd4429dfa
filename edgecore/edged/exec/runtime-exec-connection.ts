/**
 * A client connection to the container runtime's streaming server for one exec (the URL CRI
 * Exec answered). containerd 1.6 serves it with kubelet's cri streaming package, which takes a
 * websocket speaking v4.channel.k8s.io (wsstream) as well as SPDY; the websocket is used here.
 */
import WebSocket from 'ws';
import { CHANNEL, decodeChannelFrame, encodeChannelFrame, PROTOCOL_V4 } from '../../../shared/k8s/remote-command.js';

export interface RuntimeExecEvents {
  /** The connection is up: the command runs. */
  onOpen(): void;
  /** Output; the connection reads no more until `done` is called (the stream's credit, R28). */
  onOutput(channel: 'stdout' | 'stderr', data: Buffer, done: () => void): void;
  /** The error channel's Status text. */
  onStatus(text: string): void;
  /** The connection closed, with why when it failed. */
  onClose(error: string | undefined): void;
}

export interface RuntimeExecConnection {
  /** Sends stdin or a resize; `sent` is called once the bytes left for the runtime. */
  send(channel: 'stdin' | 'resize', data: Buffer, sent: () => void): void;
  /** The client's stdin ended; only the SPDY connection can pass that on (v4 has no close). */
  closeStdin(): void;
  close(): void;
}

export function connectRuntimeExec(url: string, events: RuntimeExecEvents): RuntimeExecConnection {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), [PROTOCOL_V4], { perMessageDeflate: false, handshakeTimeout: 30_000 });
  let failure: string | undefined;
  let statusText = '';
  ws.on('open', () => events.onOpen());
  ws.on('message', (raw, isBinary) => {
    const frame = decodeChannelFrame(toBuffer(raw));
    if (frame === undefined || !isBinary) return;
    if (frame.channel === CHANNEL.error) {
      statusText += frame.data.toString('utf8');
      return;
    }
    if (frame.channel !== CHANNEL.stdout && frame.channel !== CHANNEL.stderr) return;
    if (frame.data.length === 0) return;
    ws.pause();
    events.onOutput(frame.channel === CHANNEL.stdout ? 'stdout' : 'stderr', frame.data, () => ws.resume());
  });
  ws.on('error', (err) => {
    failure = `the runtime's streaming server: ${err.message}`;
  });
  ws.on('unexpected-response', (_req, res) => {
    failure = `the runtime's streaming server answered HTTP ${res.statusCode}`;
    res.resume();
    ws.terminate();
  });
  ws.on('close', () => {
    if (statusText !== '') events.onStatus(statusText);
    events.onClose(failure);
  });
  return {
    send(channel, data, sent) {
      if (ws.readyState !== WebSocket.OPEN) return sent();
      ws.send(encodeChannelFrame(channel === 'stdin' ? CHANNEL.stdin : CHANNEL.resize, data), { binary: true }, () => sent());
    },
    closeStdin() {
      // v4.channel.k8s.io has no way to half-close a channel; closing the socket would lose the output to come.
    },
    close() {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close();
    },
  };
}

function toBuffer(raw: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
