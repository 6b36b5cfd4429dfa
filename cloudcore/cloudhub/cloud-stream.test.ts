import { describe, expect, it } from 'vitest';
import type { Content } from '../../shared/protocol/index.js';
import { CloudStream } from './cloud-stream.js';

function stream(window = 1024) {
  const sent: Content[] = [];
  const s = new CloudStream({ id: 's1', window, acceptTimeoutMs: 60_000, send: (c) => (sent.push(c), true), onDone: () => undefined });
  return { s, sent };
}

describe('CloudStream queue bounds (protocol.md R28, R35)', () => {
  it('queues nothing for empty chunks after the acceptance: a flood of them costs no memory', async () => {
    const { s } = stream();
    s.onData(Buffer.alloc(0)); // accepted (R27)
    for (let i = 0; i < 100_000; i++) s.onData(Buffer.alloc(0));
    s.onData(Buffer.from('abc'));
    expect(await s.read()).toMatchObject({ kind: 'data', data: Buffer.alloc(0) });
    const next = await s.read();
    expect(next.kind === 'data' && next.data.toString()).toBe('abc');
    s.cancel('done');
  });

  it('ends the stream with FlowControl when the edge sends beyond its credit', async () => {
    const { s, sent } = stream(8);
    s.onData(Buffer.from('12345678'));
    s.onData(Buffer.from('9'));
    expect(sent.at(-1)).toMatchObject({ kind: 'streamClose', error: { code: 'FlowControl' } });
    await s.read();
    expect(await s.read()).toMatchObject({ kind: 'error' });
  });
});
