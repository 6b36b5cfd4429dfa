import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../shared/errors.js';
import type { PortForwardRequest } from '../../../shared/protocol/index.js';
import { dataFrame, FLAG_FIN, FRAME, headerBlock, readFrames, rstStreamFrame, synStreamFrame, type SpdyFrame } from '../../../shared/spdy/index.js';
import { waitFor } from '../../../test/helpers/poll.js';
import type { HubStream, StreamRead } from '../../cloudhub/index.js';
import { servePortForwardSpdy } from './spdy-portforward.js';

/** A node stream that answers with `reads` in turn and records what it was sent. */
function fakeStream(reads: Array<StreamRead | Promise<StreamRead>>) {
  const state = { input: [] as string[], inputClosed: false, cancelled: undefined as string | undefined };
  let pending: ((read: StreamRead) => void) | undefined;
  const stream: HubStream = {
    id: 's1',
    read: () => {
      const next = reads.shift();
      if (next !== undefined) return Promise.resolve(next);
      return new Promise<StreamRead>((resolve) => (pending = resolve));
    },
    cancel: (reason) => {
      state.cancelled ??= reason;
      pending?.({ kind: 'end' });
    },
    write: (_channel, bytes) => {
      state.input.push(bytes.toString());
      return Promise.resolve(true);
    },
    closeInput: () => {
      state.inputClosed = true;
    },
  };
  return { state, stream };
}

const sockets: Socket[] = [];
afterEach(() => sockets.splice(0).forEach((s) => s.destroy()));

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

/** What kubectl sends for one local connection: the error stream, then the data stream. */
function kubectlPair(errorId: number, port: number, requestId: string, first: boolean): Buffer {
  const headers = (type: string) => ({ streamtype: type, port: String(port), requestid: requestId });
  return Buffer.concat([synStreamFrame(errorId, headerBlock(headers('error'), first)), synStreamFrame(errorId + 2, headerBlock(headers('data'), false))]);
}

const dataOf = (frames: SpdyFrame[], id: number) => frames.filter((f): f is Extract<SpdyFrame, { control: false }> => !f.control && f.streamId === id);
const finOn = (id: number) => (frames: SpdyFrame[]) => dataOf(frames, id).some((f) => (f.flags & FLAG_FIN) !== 0);
const pod = { namespace: 'default', name: 'web', uid: 'u1' };

describe('port-forward over SPDY/3.1 (the server side)', () => {
  it('pairs the streams of a request, relays the bytes both ways, and ends the data stream, then the error stream', async () => {
    const node = fakeStream([{ kind: 'data', data: Buffer.alloc(0) }, { kind: 'data', channel: 'stdout', data: Buffer.from('pong') }, { kind: 'end' }]);
    const opened: PortForwardRequest[] = [];
    const client = await connection((server) => void servePortForwardSpdy(server, Buffer.alloc(0), pod, (request) => (opened.push(request), ok(node.stream))));
    const received = collect(client, finOn(1));
    client.write(kubectlPair(1, 8080, '0', true));
    client.write(dataFrame(3, Buffer.from('ping'), true));
    const frames = await received;
    expect(opened).toEqual([{ type: 'portforward', namespace: 'default', name: 'web', uid: 'u1', port: 8080 }]);
    const replies = frames.filter((f) => f.control && f.type === FRAME.synReply).map((f) => (f.control ? f.payload.readUInt32BE(0) : 0));
    expect(replies).toEqual([1, 3]);
    expect(dataOf(frames, 3).map((f) => [f.data.toString(), f.flags])).toEqual([['pong', 0], ['', FLAG_FIN]]);
    expect(dataOf(frames, 1).map((f) => [f.data.toString(), f.flags])).toEqual([['', FLAG_FIN]]);
    expect(node.state.input).toEqual(['ping']);
    expect(node.state.inputClosed).toBe(true);
  });

  it("writes kubelet's sentence on the error stream when the node refuses or cannot be reached", async () => {
    const refusing = fakeStream([{ kind: 'error', code: 'Internal', message: 'dial tcp 10.42.0.5:9999: connect: connection refused' }]);
    let calls = 0;
    const client = await connection((server) =>
      void servePortForwardSpdy(server, Buffer.alloc(0), pod, () => (++calls === 1 ? ok(refusing.stream) : fail('Unavailable', 'node "n1" is not connected'))),
    );
    const received = collect(client, (frames) => finOn(1)(frames) && finOn(5)(frames));
    client.write(kubectlPair(1, 9999, '0', true));
    client.write(kubectlPair(5, 9999, '1', false));
    const frames = await received;
    expect(dataOf(frames, 1).map((f) => f.data.toString()).join('')).toBe('error forwarding port 9999 to pod default/web, uid u1: dial tcp 10.42.0.5:9999: connect: connection refused');
    expect(dataOf(frames, 5).map((f) => f.data.toString()).join('')).toBe('error forwarding port 9999 to pod default/web, uid u1: node "n1" is not connected');
    expect(finOn(3)(frames) && finOn(7)(frames)).toBe(true);
  });

  it("a pod that does not take its input holds back only its own connection, up to a bound", async () => {
    const stalled = fakeStream([{ kind: 'data', data: Buffer.alloc(0) }]);
    let stalledWrites = 0;
    stalled.stream.write = () => (stalledWrites++, new Promise<boolean>(() => undefined)); // the edge never grants credit
    const moving = fakeStream([{ kind: 'data', data: Buffer.alloc(0) }]);
    const streams = [stalled.stream, moving.stream];
    const client = await connection((server) => void servePortForwardSpdy(server, Buffer.alloc(0), pod, () => ok(streams.shift()!)));
    client.write(kubectlPair(1, 80, '0', true));
    client.write(kubectlPair(5, 81, '1', false));
    client.write(dataFrame(3, Buffer.alloc(10 * 1024, 1), false));
    // Only once the first connection's input is stuck does the second one send.
    await waitFor(() => stalledWrites === 1, { timeoutMs: 5000, description: 'the first input handed to its node stream' });
    client.write(dataFrame(7, Buffer.from('still flowing'), false));
    await waitFor(() => moving.state.input.join('') === 'still flowing', { timeoutMs: 5000, description: () => `input of the second connection: ${JSON.stringify(moving.state.input)}` });
  });

  it('pairs streams without a requestid header by their ids, refuses a bad port, and cancels the node stream on a reset', async () => {
    const node = fakeStream([{ kind: 'data', data: Buffer.alloc(0) }]);
    const client = await connection((server) => void servePortForwardSpdy(server, Buffer.alloc(0), pod, () => ok(node.stream)));
    const received = collect(client, (frames) => frames.filter((f) => f.control).length >= 3);
    client.write(synStreamFrame(1, headerBlock({ streamtype: 'error', port: '80' }, true)));
    client.write(synStreamFrame(3, headerBlock({ streamtype: 'data', port: '80' }, false)));
    client.write(synStreamFrame(5, headerBlock({ streamtype: 'data', port: '0', requestid: '9' }, false)));
    const frames = await received;
    const kinds = frames.filter((f) => f.control).map((f) => (f.control ? [f.type, f.payload.readUInt32BE(0)] : []));
    expect(kinds).toEqual([[FRAME.synReply, 1], [FRAME.synReply, 3], [FRAME.rstStream, 5]]);
    client.write(rstStreamFrame(3, 5));
    await waitFor(() => node.state.cancelled !== undefined, { timeoutMs: 5000, intervalMs: 5, description: 'the node stream cancelled' });
    expect(node.state.cancelled).toBe('the client reset the connection');
  });
});
