import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dataFrame, FLAG_FIN, FRAME, headerBlock, readFrames, synStreamFrame } from './frames.js';

/** SPDY/3 header block pairs (32-bit counts and lengths). */
function pairs(raw: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let offset = 4;
  for (let i = 0; i < raw.readUInt32BE(0); i++) {
    const n = raw.readUInt32BE(offset);
    const name = raw.subarray(offset + 4, offset + 4 + n).toString();
    offset += 4 + n;
    const v = raw.readUInt32BE(offset);
    out[name] = raw.subarray(offset + 4, offset + 4 + v).toString();
    offset += 4 + v;
  }
  return out;
}

describe('SPDY/3 frames', () => {
  it('header blocks form one zlib stream, each block ending in a sync flush', () => {
    const first = headerBlock({ streamType: 'error' }, true);
    const second = headerBlock({ streamtype: 'stdin' }, false);
    expect([...first.subarray(0, 2)]).toEqual([0x78, 0x01]);
    expect([...second.subarray(-5)]).toEqual([0, 0, 0, 0xff, 0xff]);
    // The connection's stream so far, with a final empty block appended so zlib sees its end.
    const stream = Buffer.concat([first, second, Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff])]);
    const raw = inflateSync(stream, { finishFlush: 2 });
    const firstRawLength = first.length - 2 - 5 - 5;
    expect(pairs(raw.subarray(0, firstRawLength))).toEqual({ streamtype: 'error' });
    expect(pairs(raw.subarray(firstRawLength))).toEqual({ streamtype: 'stdin' });
  });

  it('writes SYN_STREAM and DATA frames that read back', () => {
    const bytes = Buffer.concat([synStreamFrame(3, headerBlock({ streamtype: 'stdin' }, true)), dataFrame(3, Buffer.from('data'), false), dataFrame(3, Buffer.alloc(0), true)]);
    const { frames, rest } = readFrames(bytes);
    expect(rest.length).toBe(0);
    expect(frames).toHaveLength(3);
    const [syn, data, fin] = frames;
    expect(syn).toMatchObject({ control: true, type: FRAME.synStream, flags: 0 });
    if (syn?.control) expect(syn.payload.readUInt32BE(0)).toBe(3);
    expect(data).toEqual({ control: false, streamId: 3, flags: 0, data: Buffer.from('data') });
    expect(fin).toEqual({ control: false, streamId: 3, flags: FLAG_FIN, data: Buffer.alloc(0) });
  });

  it('keeps an unfinished frame for the next read', () => {
    const frame = dataFrame(5, Buffer.from('hello'), false);
    const partial = readFrames(frame.subarray(0, 10));
    expect(partial.frames).toEqual([]);
    expect(readFrames(Buffer.concat([partial.rest, frame.subarray(10)])).frames).toEqual([{ control: false, streamId: 5, flags: 0, data: Buffer.from('hello') }]);
  });
});
