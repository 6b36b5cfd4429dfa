import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamError } from '../../../shared/protocol/index.js';
import { waitFor } from '../../../test/helpers/poll.js';
import type { ExecSink } from '../exec/index.js';
import { relaySocket } from './portforward-handler.js';

type Input = { channel: 'stdin' | 'resize'; data: Buffer; eof: boolean };

/** The stream's edge end as the relay sees it, recording what it was given. */
function fakeSink() {
  const abort = new AbortController();
  const state = { accepted: false, output: [] as string[], ended: undefined as { error?: StreamError } | undefined, consumed: 0, listener: undefined as ((input: Input) => void) | undefined };
  const sink: ExecSink = {
    signal: abort.signal,
    accept: () => void (state.accepted = true),
    write: (bytes) => {
      state.output.push(bytes.toString());
      return Promise.resolve(true);
    },
    end: (error) => void (state.ended ??= error === undefined ? {} : { error }),
    exit: () => undefined,
    onInput: (listener) => void (state.listener = listener),
    consumed: (bytes) => void (state.consumed += bytes),
  };
  return { state, sink, abort };
}

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function listen(onSocket: (s: Socket) => void): Promise<number> {
  const server = createServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe("the edge's port-forward relay (protocol.md R44)", () => {
  it('accepts once connected, carries bytes both ways with credit given back, half-closes on eof, and ends when the pod side ends', async () => {
    let received = '';
    const port = await listen((s) => {
      s.on('data', (d: Buffer) => (received += d.toString()));
      s.on('end', () => s.end(`echo:${received}`));
    });
    const { state, sink } = fakeSink();
    relaySocket(connect({ host: '127.0.0.1', port }), `127.0.0.1:${port}`, sink, 5000);
    await waitFor(() => state.accepted && state.listener !== undefined, { timeoutMs: 5000, description: 'the relay accepted' });
    state.listener?.({ channel: 'stdin', data: Buffer.from('hello'), eof: false });
    state.listener?.({ channel: 'stdin', data: Buffer.alloc(0), eof: true });
    await waitFor(() => state.ended, { timeoutMs: 5000, description: () => `the stream ended: ${JSON.stringify(state)}` });
    expect(state.output.join('')).toBe('echo:hello');
    expect(state.ended).toEqual({});
    expect(state.consumed).toBe(5);
  });

  it("ends with Go's dial error and never accepts when nothing listens", async () => {
    const port = await listen(() => undefined);
    servers.splice(0).forEach((s) => s.close());
    const { state, sink } = fakeSink();
    relaySocket(connect({ host: '127.0.0.1', port }), `127.0.0.1:${port}`, sink, 5000);
    await waitFor(() => state.ended, { timeoutMs: 5000, description: 'the stream ended' });
    expect(state.accepted).toBe(false);
    expect(state.ended).toEqual({ error: { code: 'Unavailable', message: `dial tcp 127.0.0.1:${port}: connect: connection refused` } });
  });

  it('closes the connection to the pod when the cloud cancels the stream', async () => {
    let closed = false;
    const port = await listen((s) => s.on('close', () => (closed = true)));
    const { state, sink, abort } = fakeSink();
    relaySocket(connect({ host: '127.0.0.1', port }), `127.0.0.1:${port}`, sink, 5000);
    await waitFor(() => state.accepted, { timeoutMs: 5000, description: 'the relay accepted' });
    abort.abort();
    await waitFor(() => closed, { timeoutMs: 5000, description: 'the pod side saw the close' });
  });
});
