/**
 * The few SPDY/3 frames (draft-mbelshe-httpbis-spdy-00 § 2.6) remote command needs on both
 * sides: the edge's client against the runtime's streaming server (SYN_STREAM, DATA with FIN to
 * half-close, PING answers) and the API's server for kubectl 1.27–1.29 (SYN_REPLY, RST_STREAM),
 * and the parsing of what the other side sends.
 */
export const SPDY_VERSION = 3;
export const FRAME = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
export const FLAG_FIN = 0x01;
const SYNC_FLUSH = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/**
 * A header block's name/value pairs (§ 2.6.10: 32-bit counts and lengths), wrapped as one
 * uncompressed ("stored", RFC 1951 § 3.2.4) deflate block of the connection's one zlib stream:
 * the reader inflates whatever deflate gives it, so no compression is needed, and the dictionary
 * only matters to a stream that compresses with it. The first block carries the zlib header.
 */
export function headerBlock(headers: Record<string, string>, first: boolean): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  const raw = Buffer.concat(parts);
  const stored = Buffer.alloc(5);
  stored[0] = 0; // BFINAL 0, BTYPE 00: a stored block
  stored.writeUInt16LE(raw.length, 1);
  stored.writeUInt16LE(~raw.length & 0xffff, 3);
  // 0x78 0x01: deflate with a 32 KiB window, no preset dictionary (FDICT 0), check bits valid.
  // The empty stored block after the data is what zlib's Z_SYNC_FLUSH ends with: without it Go's
  // inflater only hands the block's bytes out once it reads the next block header, which is not
  // in this frame, and its reader then fails for good (a second SYN_STREAM would never parse).
  return Buffer.concat([first ? Buffer.from([0x78, 0x01]) : Buffer.alloc(0), stored, raw, SYNC_FLUSH]);
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(payload.length, 4);
  head[4] = flags;
  return Buffer.concat([head, payload]);
}

export function synStreamFrame(streamId: number, block: Buffer): Buffer {
  const payload = Buffer.alloc(10);
  payload.writeUInt32BE(streamId & 0x7fffffff, 0);
  payload.writeUInt32BE(0, 4);
  payload[8] = 0; // priority 0 (highest), then the unused bits
  payload[9] = 0; // slot
  return controlFrame(FRAME.synStream, 0, Buffer.concat([payload, block]));
}

export function dataFrame(streamId: number, data: Buffer, fin: boolean): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(data.length, 4);
  head[4] = fin ? FLAG_FIN : 0;
  return Buffer.concat([head, data]);
}

/** SYN_REPLY (§ 2.6.2): the stream id, then the header block. */
export function synReplyFrame(streamId: number, block: Buffer, fin: boolean): Buffer {
  return controlFrame(FRAME.synReply, fin ? FLAG_FIN : 0, Buffer.concat([u32(streamId & 0x7fffffff), block]));
}

/** RST_STREAM (§ 2.6.3): the stream id and a status code (1 PROTOCOL_ERROR, 5 CANCEL, …). */
export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(FRAME.rstStream, 0, Buffer.concat([u32(streamId & 0x7fffffff), u32(status)]));
}

/** SYN_STREAM's fixed fields (§ 2.6.1); the header block starts at byte 10 of the payload. */
export function readSynStream(payload: Buffer): { streamId: number; block: Buffer } | undefined {
  if (payload.length < 10) return undefined;
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, block: payload.subarray(10) };
}

export type SpdyFrame =
  | { control: true; type: number; flags: number; payload: Buffer }
  | { control: false; streamId: number; flags: number; data: Buffer };

/** Splits the bytes read so far into whole frames; `rest` is the start of an unfinished one. */
export function readFrames(buffer: Buffer): { frames: SpdyFrame[]; rest: Buffer } {
  const frames: SpdyFrame[] = [];
  let offset = 0;
  while (buffer.length - offset >= 8) {
    const length = buffer.readUInt32BE(offset + 4) & 0xffffff;
    if (buffer.length - offset < 8 + length) break;
    const flags = buffer[offset + 4] ?? 0;
    const body = buffer.subarray(offset + 8, offset + 8 + length);
    const first = buffer.readUInt32BE(offset);
    if ((first & 0x80000000) !== 0) frames.push({ control: true, type: first & 0xffff, flags, payload: body });
    else frames.push({ control: false, streamId: first & 0x7fffffff, flags, data: body });
    offset += 8 + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/**
 * Feeds bytes as they arrive and calls `onFrame` for each whole frame, keeping the start of an
 * unfinished one. Returns false once more than `maxBufferedBytes` wait for one frame (a peer
 * announcing a frame too large to hold): the caller then drops the connection.
 */
export function createFrameReader(onFrame: (frame: SpdyFrame) => void, maxBufferedBytes: number): (chunk: Buffer) => boolean {
  let buffer: Buffer = Buffer.alloc(0);
  return (chunk) => {
    const read = readFrames(buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]));
    buffer = read.rest;
    for (const frame of read.frames) onFrame(frame);
    return buffer.length <= maxBufferedBytes;
  };
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value, 0);
  return b;
}
