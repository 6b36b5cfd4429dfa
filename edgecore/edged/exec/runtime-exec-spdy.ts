/**
 * The runtime exec connection over SPDY/3.1 (remote command v4.channel.k8s.io, as kubectl spoke
 * it to kubelet before websockets): one stream per channel, so stdin can be half-closed with a
 * FIN, which the websocket protocol containerd 1.6 knows (v4) cannot express. Used when the exec
 * has stdin; the runtime then sees its end as the client's end.
 */
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { PROTOCOL_V4 } from '../../../shared/k8s/remote-command.js';
import type { ExecIo } from '../cri/index.js';
import type { RuntimeExecConnection, RuntimeExecEvents } from './runtime-exec-connection.js';
import { controlFrame, createFrameReader, dataFrame, FLAG_FIN, FRAME, headerBlock, synStreamFrame, type SpdyFrame } from '../../../shared/spdy/index.js';

/** Client stream ids are odd (§ 2.3.2); one per channel, in the order kubectl opens them. */
const STREAM = { error: 1, stdin: 3, stdout: 5, stderr: 7, resize: 9 } as const;
const CHUNK = 32 * 1024;
/** The streaming server sends data frames of at most 32 KiB; a frame far past that is a broken peer. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function connectRuntimeExecSpdy(url: string, io: ExecIo, events: RuntimeExecEvents): RuntimeExecConnection {
  let socket: Socket | undefined;
  let closed = false;
  let opened = false;
  let statusText = '';
  let failure: string | undefined;
  /** stdin written before the server replied to the stdin stream waits here (spdystream drops data on an unreplied stream). */
  let stdinReplied = false;
  const pending: Array<() => void> = [];

  const finish = (): void => {
    if (closed) return;
    closed = true;
    socket?.destroy();
    if (statusText !== '') events.onStatus(statusText);
    events.onClose(failure);
  };

  const req = request(url, { method: 'POST', headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': PROTOCOL_V4 }, timeout: 30_000 });
  req.on('response', (res) => {
    failure = `the runtime's streaming server answered HTTP ${res.statusCode} instead of switching to SPDY`;
    res.resume();
    finish();
  });
  req.on('error', (err) => {
    failure ??= `the runtime's streaming server: ${err.message}`;
    finish();
  });
  req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
  req.on('upgrade', (_res, upgraded, head) => {
    socket = upgraded;
    upgraded.setNoDelay(true);
    const streams: Array<[number, string]> = [[STREAM.error, 'error']];
    if (io.stdin) streams.push([STREAM.stdin, 'stdin']);
    if (io.stdout) streams.push([STREAM.stdout, 'stdout']);
    if (io.stderr) streams.push([STREAM.stderr, 'stderr']);
    if (io.tty) streams.push([STREAM.resize, 'resize']);
    streams.forEach(([id, type], i) => upgraded.write(synStreamFrame(id, headerBlock({ streamtype: type }, i === 0))));
    opened = true;
    events.onOpen();
    const feed = createFrameReader(onFrame, MAX_BUFFERED_BYTES);
    const onBytes = (chunk: Buffer): void => {
      if (feed(chunk)) return;
      failure ??= `the runtime's streaming server announced a SPDY frame over ${MAX_BUFFERED_BYTES} bytes`;
      finish();
    };
    upgraded.on('data', onBytes);
    upgraded.on('error', (err) => (failure ??= `the runtime's streaming server: ${err.message}`));
    upgraded.on('close', finish);
    if (head.length > 0) onBytes(head);
  });
  req.end();

  function onFrame(frame: SpdyFrame): void {
    if (frame.control) {
      if (frame.type === FRAME.synReply && frame.payload.readUInt32BE(0) === STREAM.stdin) {
        stdinReplied = true;
        for (const run of pending.splice(0)) run();
      }
      // A PING the server started (even id) is answered with the same frame (§ 2.6.5).
      if (frame.type === FRAME.ping && (frame.payload.readUInt32BE(0) & 1) === 0) socket?.write(controlFrame(frame.type, frame.flags, frame.payload));
      if (frame.type === FRAME.goAway) finish();
      return;
    }
    if (frame.streamId === STREAM.error) {
      statusText += frame.data.toString('utf8');
      if ((frame.flags & FLAG_FIN) !== 0) finish();
      return;
    }
    const channel = frame.streamId === STREAM.stdout ? 'stdout' : frame.streamId === STREAM.stderr ? 'stderr' : undefined;
    if (channel === undefined || frame.data.length === 0) return;
    socket?.pause();
    events.onOutput(channel, frame.data, () => socket?.resume());
  }

  const whenReplied = (run: () => void): void => {
    if (stdinReplied) run();
    else pending.push(run);
  };

  return {
    send(channel, data, sent) {
      if (closed || !opened || channel !== 'stdin') return sent();
      whenReplied(() => {
        for (let offset = 0; offset < data.length; offset += CHUNK) socket?.write(dataFrame(STREAM.stdin, data.subarray(offset, offset + CHUNK), false));
        if (socket === undefined || closed) return sent();
        socket.write(Buffer.alloc(0), () => sent());
      });
    },
    closeStdin() {
      if (closed) return;
      whenReplied(() => socket?.write(dataFrame(STREAM.stdin, Buffer.alloc(0), true)));
    },
    close() {
      if (!closed) req.destroy();
      finish();
    },
  };
}
