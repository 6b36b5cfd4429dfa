/**
 * Serves one exec or attach to kubectl 1.27–1.29 over SPDY/3.1 (remote command v4.channel.k8s.io, as
 * kubelet's streaming server does; docs/kubectl.md § exec and cp over SPDY): the client opens one
 * SPDY stream per channel with a `streamtype` header and the server replies to each; stdout and
 * stderr go out as DATA frames, stdin comes in until its FIN, and the error stream carries the
 * v4 Status with the exit code at the end. Backpressure as on the websocket path (protocol.md
 * R28, R32): the socket is not read while stdin waits for the edge's credit, and the node's
 * stream is not read while a frame waits to be written.
 */
import type { Duplex } from 'node:stream';
import { errorChannelStatusText, type ExecOutcome } from '../../../shared/k8s/remote-command.js';
import type { AttachRequest, ExecRequest } from '../../../shared/protocol/index.js';
import { controlFrame, createFrameReader, createHeaderBlockReader, dataFrame, FLAG_FIN, FRAME, headerBlock, readSynStream, rstStreamFrame, synReplyFrame, type SpdyFrame } from '../../../shared/spdy/index.js';
import type { HubStream, StreamRead } from '../../cloudhub/index.js';

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';
const STREAM_TYPES = new Set<string>(['error', 'stdin', 'stdout', 'stderr', 'resize']);
/** RST_STREAM status codes (§ 2.6.3). */
const RST = { protocolError: 1, refused: 3 } as const;
/** One DATA frame carries at most this much, as the edge's stream chunks do (R28). */
const CHUNK = 32 * 1024;
/** How long the client gets to close the connection after the Status, as kubelet's streams do. */
const CLOSE_GRACE_MS = 10_000;
/** A frame the client sends may be this large; kubectl's are at most 32 KiB (io.Copy's buffer). */
const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Runs after the 101 answer was written: `head` is what the client sent after its request.
 * Resolves when the exec is over and the connection closed.
 */
export async function relayExecSpdy(socket: Duplex, head: Buffer, stream: HubStream, request: ExecRequest | AttachRequest): Promise<void> {
  const ids = new Map<StreamType, number>();
  const types = new Map<number, StreamType>();
  const headers = createHeaderBlockReader();
  let repliedOnce = false;
  let inputChain = Promise.resolve();
  /** Input reaches the node in order, one write at a time (HubStream.write must not overlap). */
  const enqueue = (task: () => Promise<unknown> | void): void => {
    inputChain = inputChain.then(async () => void (await task())).catch((err: unknown) => {
      stream.cancel(`the input could not be relayed: ${err instanceof Error ? err.message : String(err)}`);
      socket.destroy();
    });
  };
  let resizeText = '';
  /** The output streams kubectl opens for this exec or attach (client-go remotecommand v2/v3 createStreams). */
  const expected: StreamType[] = ['error', ...(request.stdout ? ['stdout' as const] : []), ...(request.stderr && !request.tty ? ['stderr' as const] : [])];
  let announceReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (announceReady = resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  const onSynStream = (payload: Buffer): void => {
    const syn = readSynStream(payload);
    if (syn === undefined) return void socket.destroy();
    const pairs = headers.read(syn.block);
    const type = pairs.ok ? pairs.value.streamtype : undefined;
    if (type === undefined || !STREAM_TYPES.has(type) || ids.has(type as StreamType)) return void socket.write(rstStreamFrame(syn.streamId, pairs.ok ? RST.refused : RST.protocolError));
    ids.set(type as StreamType, syn.streamId);
    types.set(syn.streamId, type as StreamType);
    socket.write(synReplyFrame(syn.streamId, headerBlock({}, !repliedOnce), false));
    repliedOnce = true;
    if (expected.every((t) => ids.has(t))) announceReady();
  };

  const onData = (frame: Extract<SpdyFrame, { control: false }>): void => {
    const type = types.get(frame.streamId);
    if (type === 'stdin' && frame.data.length > 0) {
      socket.pause();
      enqueue(async () => {
        await stream.write('stdin', frame.data);
        socket.resume();
      });
    }
    if (type === 'stdin' && (frame.flags & FLAG_FIN) !== 0) enqueue(() => stream.closeInput());
    if (type === 'resize') {
      // The resize stream is a run of JSON objects, one a line (client-go's json.Encoder); R32 wants one per message.
      resizeText += frame.data.toString('utf8');
      const lines = resizeText.split('\n');
      resizeText = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim() !== '')) enqueue(() => stream.write('resize', Buffer.from(line)));
    }
  };

  const onFrame = (frame: SpdyFrame): void => {
    if (!frame.control) return onData(frame);
    if (frame.type === FRAME.synStream) return onSynStream(frame.payload);
    // A PING is answered with the same frame (§ 2.6.5); this server starts none.
    if (frame.type === FRAME.ping) return void socket.write(controlFrame(FRAME.ping, 0, frame.payload));
    if (frame.type === FRAME.goAway) stream.cancel('the client went away');
    // SETTINGS, WINDOW_UPDATE, HEADERS, RST_STREAM: nothing to do for remote command.
  };

  const readFrame = createFrameReader(onFrame, MAX_FRAME_BYTES + 8);
  const onBytes = (chunk: Buffer): void => {
    if (!readFrame(chunk)) socket.destroy();
  };
  socket.on('data', onBytes);
  if (head.length > 0) onBytes(head);

  if (await Promise.race([ready.then(() => true), closed.then(() => false)])) await pumpOutput(socket, stream, ids, request.type === 'exec' ? request.command : []);
  else stream.cancel('the client went away');
  const grace = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
  grace.unref();
  await closed;
  clearTimeout(grace);
}

/** The node's output to the client, then the Status on the error stream and every output stream's FIN. */
async function pumpOutput(socket: Duplex, stream: HubStream, ids: Map<StreamType, number>, command: string[]): Promise<void> {
  for (;;) {
    const read: StreamRead = await stream.read();
    if (read.kind === 'data') {
      const id = ids.get(read.channel === 'stderr' ? 'stderr' : 'stdout');
      if (id === undefined) continue;
      for (let offset = 0; offset < read.data.length; offset += CHUNK) {
        if (!(await write(socket, dataFrame(id, read.data.subarray(offset, offset + CHUNK), false)))) return stream.cancel('the client went away');
      }
      continue;
    }
    const outcome: ExecOutcome = read.kind === 'end' ? { exitCode: read.exitCode ?? 0 } : { error: read.message };
    for (const type of ['stdout', 'stderr'] as const) {
      const id = ids.get(type);
      if (id !== undefined) socket.write(dataFrame(id, Buffer.alloc(0), true));
    }
    const errorId = ids.get('error');
    if (errorId !== undefined) await write(socket, dataFrame(errorId, Buffer.from(errorChannelStatusText(outcome, command)), true));
    return;
  }
}

/** Resolves once the frame is handed to the socket, false when the socket is gone. */
function write(socket: Duplex, frame: Buffer): Promise<boolean> {
  if (socket.destroyed || !socket.writable) return Promise.resolve(false);
  return new Promise((resolve) => socket.write(frame, (err) => resolve(err === undefined || err === null)));
}
