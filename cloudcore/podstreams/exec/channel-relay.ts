/**
 * Relays one exec between kubectl's websocket (channel.k8s.io, v5 or v4) and the node's stream
 * (protocol.md R32), with backpressure both ways: the socket is not read while stdin waits for
 * the edge's credit, and the stream is not read while the socket's send is pending.
 */
import type WebSocket from 'ws';
import { CHANNEL, decodeChannelFrame, encodeChannelFrame, errorChannelStatusText, PROTOCOL_V5, type ExecOutcome } from '../../../shared/k8s/remote-command.js';
import type { HubStream, StreamRead } from '../../cloudhub/index.js';

export async function relayExec(ws: WebSocket, stream: HubStream, command: string[]): Promise<void> {
  const v5 = ws.protocol === PROTOCOL_V5;
  let inputChain = Promise.resolve();
  ws.on('message', (raw, isBinary) => {
    const frame = isBinary ? decodeChannelFrame(toBuffer(raw)) : undefined;
    if (frame === undefined) return;
    if (frame.channel === CHANNEL.close && v5) {
      // [255, channel]: the client closed one of its channels; only stdin means anything here.
      if (frame.data[0] === CHANNEL.stdin) inputChain = inputChain.then(() => stream.closeInput());
      return;
    }
    const channel = frame.channel === CHANNEL.stdin ? 'stdin' : frame.channel === CHANNEL.resize ? 'resize' : undefined;
    if (channel === undefined || frame.data.length === 0) return;
    ws.pause();
    inputChain = inputChain.then(async () => {
      await stream.write(channel, frame.data);
      ws.resume();
    });
  });
  ws.on('close', () => stream.cancel('the client went away'));

  for (;;) {
    const read: StreamRead = await stream.read();
    if (read.kind === 'data') {
      if (read.data.length === 0) continue;
      const channel = read.channel === 'stderr' ? CHANNEL.stderr : CHANNEL.stdout;
      if (!(await send(ws, encodeChannelFrame(channel, read.data)))) return;
      continue;
    }
    const outcome: ExecOutcome = read.kind === 'end' ? { exitCode: read.exitCode ?? 0 } : { error: read.message };
    await send(ws, encodeChannelFrame(CHANNEL.error, Buffer.from(errorChannelStatusText(outcome, command))));
    ws.close(1000);
    return;
  }
}

/** Resolves once the frame is handed to the socket, false when the socket is gone. */
function send(ws: WebSocket, frame: Buffer): Promise<boolean> {
  if (ws.readyState !== ws.OPEN) return Promise.resolve(false);
  return new Promise((resolve) => ws.send(frame, { binary: true }, (err) => resolve(err === undefined || err === null)));
}

function toBuffer(raw: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
