import { describe, expect, it } from 'vitest';
import { headerBlock, readFrames, readSynStream } from './frames.js';
import { SPDY3_HEADER_DICTIONARY } from './header-dictionary.js';
import { createHeaderBlockReader, HEADER_BYTES_LIMIT, parsePairs } from './header-reader.js';
import { KUBECTL_127_EXEC_BYTES } from './kubectl-exec-capture.js';

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

describe('SPDY/3 header blocks', () => {
  it('builds the dictionary kubectl compresses with (its DICTID is the Adler-32 of these 1423 bytes)', () => {
    expect(SPDY3_HEADER_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY3_HEADER_DICTIONARY)).toBe(KUBECTL_127_EXEC_BYTES.readUInt32BE(20));
  });

  it("reads kubectl's streamtype headers, each block after the ones before it", () => {
    const { frames, rest } = readFrames(KUBECTL_127_EXEC_BYTES);
    expect(rest.length).toBe(0);
    const reader = createHeaderBlockReader();
    const opened: Array<[number, string | undefined]> = [];
    for (const frame of frames) {
      if (!frame.control) continue;
      const syn = readSynStream(frame.payload);
      if (syn === undefined) throw new Error('short SYN_STREAM');
      const pairs = reader.read(syn.block);
      if (!pairs.ok) throw new Error(pairs.message);
      opened.push([syn.streamId, pairs.value.streamtype]);
    }
    expect(opened).toEqual([[1, 'error'], [3, 'stdin'], [5, 'stdout'], [7, 'stderr']]);
    expect(frames.slice(4)).toEqual([
      { control: false, streamId: 3, flags: 0, data: Buffer.from('hi\n') },
      { control: false, streamId: 3, flags: 1, data: Buffer.alloc(0) },
    ]);
  });

  it('reads the blocks the shared writer makes (stored, without the dictionary)', () => {
    const reader = createHeaderBlockReader();
    expect(reader.read(headerBlock({ StreamType: 'error' }, true))).toEqual({ ok: true, value: { streamtype: 'error' } });
    expect(reader.read(headerBlock({ streamtype: 'stdout', other: 'x' }, false))).toEqual({ ok: true, value: { streamtype: 'stdout', other: 'x' } });
    expect(reader.read(headerBlock({}, false))).toEqual({ ok: true, value: {} });
  });

  it('refuses what is not a header block, and more than the limit', () => {
    expect(createHeaderBlockReader().read(Buffer.from('not zlib at all'))).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(parsePairs(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61]))).toMatchObject({ ok: false, message: 'a SPDY header block ends inside a pair' });
    expect(createHeaderBlockReader().read(Buffer.alloc(HEADER_BYTES_LIMIT + 1))).toMatchObject({ ok: false, code: 'BadRequest' });
  });
});
