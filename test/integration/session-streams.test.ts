import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { decodeFrame, encodeFrame, type AttachRequest, type Content, type ExecRequest, type LogsRequest } from '../../shared/protocol/index.js';
import { EdgeStreams, type StreamHandler } from '../../edgecore/edgehub/edge-streams.js';
import type { StreamRead } from '../../cloudcore/cloudhub/cloud-stream.js';
import { SessionStreams } from '../../cloudcore/cloudhub/session-streams.js';

const request: LogsRequest = { type: 'logs', namespace: 'default', name: 'p', uid: 'u', container: 'c', follow: false, previous: false, timestamps: false };
const route = { source: 'cloudhub', target: 'edgehub', resource: 'streams', operation: 'stream' } as const;

/** Both ends of the streams wired back to back; every frame goes through the wire schema, asynchronously. */
function pair(handler: StreamHandler, settings = { windowBytes: 64 * 1024, maxStreams: 4, acceptTimeoutMs: 5_000 }) {
  const counters = { dataBytes: 0, windowFrames: 0, framesToEdge: [] as Content[], framesToCloud: [] as Content[] };
  const wire = (content: Content, deliver: (c: Content) => void): boolean => {
    const decoded = decodeFrame(encodeFrame(route, content));
    if (!decoded.ok) throw new Error(decoded.message);
    setImmediate(() => deliver(decoded.value.content));
    return true;
  };
  const cloud: SessionStreams = new SessionStreams(settings, (content) => {
    counters.framesToEdge.push(content);
    if (content.kind === 'streamWindow') counters.windowFrames++;
    return wire(content, (c) => edge.onFrame(c as Extract<Content, { kind: 'streamOpen' | 'streamWindow' | 'streamClose' }>));
  });
  const edge: EdgeStreams = new EdgeStreams((content) => {
    counters.framesToCloud.push(content);
    if (content.kind === 'streamData') counters.dataBytes += Buffer.from(content.data, content.encoding).length;
    return wire(content, (c) => cloud.onFrame(c as Extract<Content, { kind: 'streamData' | 'streamClose' }>));
  }, handler, silentLogger());
  return { cloud, edge, counters };
}

async function readAll(read: () => Promise<StreamRead>, onData?: (n: number) => Promise<void>): Promise<{ data: Buffer; last: StreamRead }> {
  const chunks: Buffer[] = [];
  for (;;) {
    const next = await read();
    if (next.kind !== 'data') return { data: Buffer.concat(chunks), last: next };
    chunks.push(next.data);
    await onData?.(next.data.length);
  }
}

describe('streams over a session (protocol.md R26–R31)', () => {
  it('carries every byte, and the edge never runs ahead of what was consumed by more than the window', async () => {
    const payload = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7919) % 251;
    const { cloud, counters } = pair((_req, sink) => {
      void (async () => {
        for (let at = 0; at < payload.length; at += 100_000) if (!(await sink.write(payload.subarray(at, at + 100_000)))) return;
        sink.end();
      })();
    });
    const opened = cloud.open(request);
    if (!opened.ok) throw new Error(opened.message);
    let consumed = 0;
    let worstAhead = 0;
    const { data, last } = await readAll(() => opened.value.read(), async (n) => {
      consumed += n;
      // A slow client: the HTTP response drains only now and then.
      await new Promise((r) => setTimeout(r, 1));
      worstAhead = Math.max(worstAhead, counters.dataBytes - consumed);
    });
    expect(last).toEqual({ kind: 'end' });
    expect(data.equals(payload)).toBe(true);
    expect(worstAhead).toBeLessThanOrEqual(64 * 1024);
    // Credit goes back in batches (≤ window/2 each), not a frame per chunk.
    expect(counters.windowFrames).toBeGreaterThan(0);
    expect(counters.windowFrames).toBeLessThan(1024 * 1024 / (32 * 1024) + 1);
    expect(cloud.openCount).toBe(0);
  });

  it('sends binary bytes as base64 and text as text', async () => {
    const { cloud, counters } = pair((_req, sink) => {
      void sink.write(Buffer.from([0xff, 0x00, 0x41])).then(() => sink.write(Buffer.from('héllo\n'))).then(() => sink.end());
    });
    const opened = cloud.open(request);
    if (!opened.ok) throw new Error(opened.message);
    const { data } = await readAll(() => opened.value.read());
    expect(data.equals(Buffer.concat([Buffer.from([0xff, 0x00, 0x41]), Buffer.from('héllo\n')]))).toBe(true);
    expect(counters.framesToCloud.filter((f) => f.kind === 'streamData').map((f) => (f as { encoding: string }).encoding)).toEqual(['utf8', 'base64', 'utf8']);
  });

  it('passes the edge\'s refusal to the reader before any byte', async () => {
    const { cloud } = pair((_req, sink) => sink.end({ code: 'BadRequest', message: 'previous terminated container "c" in pod "p" not found' }));
    const opened = cloud.open(request);
    if (!opened.ok) throw new Error(opened.message);
    expect(await opened.value.read()).toEqual({ kind: 'error', code: 'BadRequest', message: 'previous terminated container "c" in pod "p" not found' });
  });

  it('cancels the edge\'s side when the reader goes away', async () => {
    let signal: AbortSignal | undefined;
    let wrote: boolean | undefined;
    const { cloud } = pair((_req, sink) => {
      signal = sink.signal;
      void (async () => {
        sink.accept();
        // Never granted more: this write waits for credit until the stream is cancelled.
        wrote = await sink.write(Buffer.alloc(200 * 1024));
      })();
    });
    const opened = cloud.open(request);
    if (!opened.ok) throw new Error(opened.message);
    expect(await opened.value.read()).toEqual({ kind: 'data', data: Buffer.alloc(0) });
    opened.value.cancel('client went away');
    await new Promise((r) => setTimeout(r, 20));
    expect(signal?.aborted).toBe(true);
    expect(wrote).toBe(false);
  });

  it('fails every stream at once when the session ends, and refuses beyond the cap', async () => {
    const { cloud, edge } = pair(() => undefined, { windowBytes: 1024, maxStreams: 2, acceptTimeoutMs: 5_000 });
    const a = cloud.open(request);
    const b = cloud.open(request);
    const c = cloud.open(request);
    expect(c.ok).toBe(false);
    if (!a.ok || !b.ok) throw new Error('open failed');
    await new Promise((r) => setTimeout(r, 10));
    expect(edge.openCount).toBe(2);
    cloud.closeAll('the connection to node "n" was lost');
    edge.reset();
    expect(await a.value.read()).toEqual({ kind: 'error', code: 'Unavailable', message: 'the connection to node "n" was lost' });
    expect(edge.openCount).toBe(0);
  });

  it('ends a stream whose edge sends more than its credit, and one whose edge never answers', async () => {
    const framesToEdge: Content[] = [];
    const cloud = new SessionStreams({ windowBytes: 10, maxStreams: 4, acceptTimeoutMs: 50 }, (c) => (framesToEdge.push(c), true));
    const rogue = cloud.open(request);
    const silent = cloud.open(request);
    if (!rogue.ok || !silent.ok) throw new Error('open failed');
    cloud.onFrame({ kind: 'streamData', streamId: rogue.value.id, encoding: 'utf8', data: 'x'.repeat(11) });
    expect(await rogue.value.read()).toMatchObject({ kind: 'error', code: 'Internal' });
    expect(framesToEdge.some((f) => f.kind === 'streamClose' && f.streamId === rogue.value.id && f.error?.code === 'FlowControl')).toBe(true);
    expect(await silent.value.read()).toMatchObject({ kind: 'error', code: 'Timeout' });
  });

  it('exec: input flows to the edge within the credit it grants back, output comes back by channel, the close carries the exit code (R32)', async () => {
    const exec: ExecRequest = { type: 'exec', namespace: 'default', name: 'p', uid: 'u', container: 'c', command: ['cat'], stdin: true, stdout: true, stderr: true, tty: false };
    const received: Buffer[] = [];
    const { cloud, counters } = pair((_request, sink) => {
      sink.accept();
      sink.onInput((input) => {
        // The edge passes input on slowly: the cloud must wait for its grants.
        setTimeout(() => {
          if (input.data.length > 0) received.push(input.data);
          sink.consumed(input.data.length);
          if (input.eof) void sink.write(Buffer.from('err'), 'stderr').then(() => sink.write(Buffer.concat(received), 'stdout')).then(() => sink.exit(3));
        }, 1);
      });
    }, { windowBytes: 8 * 1024, maxStreams: 4, acceptTimeoutMs: 5_000 });
    const opened = cloud.open(exec);
    if (!opened.ok) throw new Error(opened.message);
    const stream = opened.value;
    expect(await stream.read()).toMatchObject({ kind: 'data', data: Buffer.alloc(0) });
    const input = Buffer.alloc(40 * 1024, 'i');
    expect(await stream.write('stdin', input)).toBe(true);
    stream.closeInput();
    const first = await stream.read();
    expect(first).toMatchObject({ kind: 'data', channel: 'stderr', data: Buffer.from('err') });
    const out: Buffer[] = [];
    let read = await stream.read();
    while (read.kind === 'data') {
      expect(read.channel).toBe('stdout');
      out.push(read.data);
      read = await stream.read();
    }
    expect(Buffer.concat(out).equals(input)).toBe(true);
    expect(read).toEqual({ kind: 'end', exitCode: 3 });
    // 40 KiB through an 8 KiB window needed grants from the edge, never more than the window in flight.
    const grants = counters.framesToCloud.filter((f) => f.kind === 'streamWindow');
    expect(grants.length).toBeGreaterThan(0);
    expect(counters.framesToEdge.filter((f) => f.kind === 'streamData' && f.eof === true)).toHaveLength(1);
  });

  it('attach: the request crosses the wire, stdin and resizes reach the edge in order, output comes back, the close carries 0 (R43)', async () => {
    const attach: AttachRequest = { type: 'attach', namespace: 'default', name: 'p', uid: 'u', container: 'c', stdin: true, stdout: true, stderr: false, tty: true };
    const seen: Array<{ request: unknown; inputs: string[] }> = [];
    const { cloud } = pair((request, sink) => {
      const record = { request, inputs: [] as string[] };
      seen.push(record);
      sink.accept();
      sink.onInput((input) => {
        record.inputs.push(`${input.channel}:${input.data.toString()}${input.eof ? ':eof' : ''}`);
        sink.consumed(input.data.length);
        if (input.eof) void sink.write(Buffer.from('bye\r\n'), 'stdout').then(() => sink.exit(0));
      });
    });
    const opened = cloud.open(attach);
    if (!opened.ok) throw new Error(opened.message);
    const stream = opened.value;
    expect(await stream.read()).toMatchObject({ kind: 'data', data: Buffer.alloc(0) });
    expect(await stream.write('resize', Buffer.from('{"Width":101,"Height":31}'))).toBe(true);
    expect(await stream.write('stdin', Buffer.from('exit\n'))).toBe(true);
    stream.closeInput();
    expect(await stream.read()).toMatchObject({ kind: 'data', channel: 'stdout', data: Buffer.from('bye\r\n') });
    expect(await stream.read()).toEqual({ kind: 'end', exitCode: 0 });
    expect(seen).toEqual([{ request: attach, inputs: ['resize:{"Width":101,"Height":31}', 'stdin:exit\n', 'stdin::eof'] }]);
  });
});
