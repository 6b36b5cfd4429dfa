import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecRequest } from '../../../shared/protocol/index.js';
import { controlFrame, createHeaderBlockReader, FLAG_FIN, FRAME, headerBlock, readFrames, synStreamFrame, type SpdyFrame } from '../../../shared/spdy/index.js';
import { KUBECTL_127_EXEC_BYTES } from '../../../shared/spdy/kubectl-exec-capture.js';
import type { HubStream, StreamRead } from '../../cloudhub/index.js';
import { relayExecSpdy } from './spdy-relay.js';

/** A node stream that answers with `reads` in turn and records what the relay sent it. */
function fakeStream() {
  let stdinEnded: () => void = () => undefined;
  const state = {
    reads: [] as Array<Promise<StreamRead>>,
    input: [] as Array<[string, string]>,
    inputClosed: false,
    cancelled: undefined as string | undefined,
    stdinSeen: new Promise<void>((resolve) => (stdinEnded = resolve)),
  };
  const stream: HubStream = {
    id: 's1',
    read: () => state.reads.shift() ?? new Promise<StreamRead>(() => undefined),
    cancel: (reason) => void (state.cancelled ??= reason),
    write: (channel, bytes) => {
      state.input.push([channel, bytes.toString()]);
      return Promise.resolve(true);
    },
    closeInput: () => {
      state.inputClosed = true;
      stdinEnded();
    },
  };
  return { state, stream };
}

const request: ExecRequest = { type: 'exec', namespace: 'default', name: 'p', uid: 'u', container: 'c', command: ['sh', '-c', 'cat; exit 3'], stdin: true, stdout: true, stderr: true, tty: false };

const sockets: Socket[] = [];
afterEach(() => sockets.splice(0).forEach((s) => s.destroy()));

/** A loopback connection: the relay serves one end, the test is the client at the other. */
async function connection(serve: (server: Socket) => void): Promise<Socket> {
  const server = createServer((s) => {
    sockets.push(s);
    serve(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const client = connect(address.port, '127.0.0.1');
  sockets.push(client);
  await new Promise((resolve) => client.once('connect', resolve));
  server.close();
  return client;
}

/** Collects the server's frames until `done` says enough. */
function collect(client: Socket, done: (frames: SpdyFrame[]) => boolean): Promise<SpdyFrame[]> {
  const frames: SpdyFrame[] = [];
  let buffer: Buffer = Buffer.alloc(0);
  return new Promise((resolve) => {
    client.on('data', (chunk: Buffer) => {
      const read = readFrames(Buffer.concat([buffer, chunk]));
      buffer = read.rest;
      frames.push(...read.frames);
      if (done(frames)) resolve(frames);
    });
  });
}

const isErrorFin = (f: SpdyFrame): boolean => !f.control && f.streamId === 1 && (f.flags & FLAG_FIN) !== 0;

describe('exec over SPDY/3.1 (the server side)', () => {
  it("replies to kubectl's streams, relays stdin with its end, and ends with stdout's FIN and the exit code's Status", async () => {
    const node = fakeStream();
    // Like `cat`: the output comes once stdin ended (the node's "accepted" was read before the switch).
    node.state.reads = [node.state.stdinSeen.then(() => ({ kind: 'data', channel: 'stdout', data: Buffer.from('hi\n') })), Promise.resolve({ kind: 'end', exitCode: 3 })];
    let relay: Promise<void> | undefined;
    const client = await connection((server) => (relay = relayExecSpdy(server, Buffer.alloc(0), node.stream, request)));
    const received = collect(client, (frames) => frames.some(isErrorFin));
    client.write(KUBECTL_127_EXEC_BYTES);
    const frames = await received;

    const replies = frames.filter((f) => f.control && f.type === FRAME.synReply).map((f) => (f.control ? f.payload.readUInt32BE(0) : 0));
    expect(replies).toEqual([1, 3, 5, 7]);
    const reader = createHeaderBlockReader();
    for (const f of frames) if (f.control && f.type === FRAME.synReply) expect(reader.read(f.payload.subarray(4))).toEqual({ ok: true, value: {} });
    expect(node.state.input).toEqual([['stdin', 'hi\n']]);
    expect(node.state.inputClosed).toBe(true);

    const data = frames.filter((f): f is Extract<SpdyFrame, { control: false }> => !f.control);
    expect(data.filter((f) => f.streamId === 5).map((f) => [f.data.toString(), f.flags])).toEqual([['hi\n', 0], ['', FLAG_FIN]]);
    expect(data.filter((f) => f.streamId === 7).map((f) => [f.data.toString(), f.flags])).toEqual([['', FLAG_FIN]]);
    const status = JSON.parse(data.filter((f) => f.streamId === 1).map((f) => f.data.toString()).join('')) as unknown;
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });

    client.end();
    await relay;
    expect(node.state.cancelled).toBeUndefined();
  });

  it('answers PINGs, refuses an unknown stream type, and cancels the node stream when the client goes away first', async () => {
    const node = fakeStream();
    let relay: Promise<void> | undefined;
    const client = await connection((server) => (relay = relayExecSpdy(server, Buffer.alloc(0), node.stream, { ...request, stdin: false })));
    const received = collect(client, (frames) => frames.length >= 2);
    const ping = Buffer.from([0, 0, 0, 1]);
    client.write(Buffer.concat([controlFrame(FRAME.ping, 0, ping), synStreamFrame(1, headerBlock({ streamtype: 'bogus' }, true))]));
    const [pong, rst] = await received;
    expect(pong).toEqual({ control: true, type: FRAME.ping, flags: 0, payload: ping });
    expect(rst).toMatchObject({ control: true, type: FRAME.rstStream });
    if (rst?.control) expect([rst.payload.readUInt32BE(0), rst.payload.readUInt32BE(4)]).toEqual([1, 3]);
    client.destroy();
    await relay;
    expect(node.state.cancelled).toBe('the client went away');
  });
});
