/**
 * Reads the header blocks a peer sends on one connection. They form one zlib stream, compressed
 * with the SPDY/3 dictionary (draft-mbelshe-httpbis-spdy-00 § 2.6.10.1) and sync-flushed at the
 * end of each block, so block n only inflates after blocks 1..n-1. A remote-command connection
 * carries a handful of tiny blocks, so the reader re-inflates what it has kept, and refuses more
 * than HEADER_BYTES_LIMIT in all.
 */
import { constants, inflateSync } from 'node:zlib';
import { fail, ok, type Result } from '../errors.js';
import { SPDY3_HEADER_DICTIONARY } from './header-dictionary.js';

/** All header blocks of one connection together, compressed: remote command needs a few hundred bytes. */
export const HEADER_BYTES_LIMIT = 64 * 1024;

export interface HeaderBlockReader {
  /** The name/value pairs of the next block (names lower-case, as § 2.6.10 requires). */
  read(block: Buffer): Result<Record<string, string>>;
}

export function createHeaderBlockReader(): HeaderBlockReader {
  let compressed = Buffer.alloc(0);
  let consumed = 0;
  return {
    read(block) {
      if (compressed.length + block.length > HEADER_BYTES_LIMIT) return fail('BadRequest', `the SPDY header blocks pass ${HEADER_BYTES_LIMIT} bytes`);
      compressed = Buffer.concat([compressed, block]);
      let raw: Buffer;
      try {
        raw = inflateSync(compressed, { dictionary: SPDY3_HEADER_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
      } catch (err) {
        return fail('BadRequest', `a SPDY header block does not inflate: ${err instanceof Error ? err.message : String(err)}`);
      }
      const pairs = parsePairs(raw.subarray(consumed));
      consumed = raw.length;
      return pairs;
    },
  };
}

/** § 2.6.10: a 32-bit count, then for each pair a 32-bit length and name, a 32-bit length and value. */
export function parsePairs(raw: Buffer): Result<Record<string, string>> {
  const out: Record<string, string> = {};
  let offset = 0;
  const take = (): Buffer | undefined => {
    if (raw.length - offset < 4) return undefined;
    const length = raw.readUInt32BE(offset);
    if (raw.length - offset - 4 < length) return undefined;
    const bytes = raw.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return bytes;
  };
  if (raw.length < 4) return fail('BadRequest', 'a SPDY header block ends before its count');
  const count = raw.readUInt32BE(0);
  offset = 4;
  for (let i = 0; i < count; i++) {
    const name = take();
    const value = take();
    if (name === undefined || value === undefined) return fail('BadRequest', 'a SPDY header block ends inside a pair');
    // Several values of one name are joined by NUL bytes (§ 2.6.10); remote command uses one.
    out[name.toString('latin1').toLowerCase()] = value.toString('latin1');
  }
  return ok(out);
}
