import type { Prng } from './prng.js';

/**
 * Byte-level mutation of an encoded body or frame (the classic dumb mutators): bit flips, byte
 * replacement with interesting values, truncation, duplication of a slice, splicing with another
 * encoded sample, insertion of random bytes. Applied after serialization, so the parsers see it.
 */
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x0a, 0x20, 0x2d, 0x30, 0x39, 0x65];

export type ByteMutation = 'bitFlip' | 'interesting' | 'truncate' | 'duplicate' | 'splice' | 'insert' | 'erase';

export function mutateBytes(prng: Prng, input: Buffer, donors: readonly Buffer[]): { bytes: Buffer; op: ByteMutation } {
  if (input.length === 0) return { bytes: prng.bytes(prng.range(1, 16)), op: 'insert' };
  const op = prng.weighted<ByteMutation>([[3, 'bitFlip'], [2, 'interesting'], [2, 'truncate'], [1, 'duplicate'], [2, 'splice'], [1, 'insert'], [1, 'erase']]);
  const at = prng.int(input.length);
  switch (op) {
    case 'bitFlip': {
      const out = Buffer.from(input);
      for (let flips = prng.range(1, 4); flips > 0; flips--) {
        const i = prng.int(out.length);
        out[i] = (out[i] as number) ^ (1 << prng.int(8));
      }
      return { bytes: out, op };
    }
    case 'interesting': {
      const out = Buffer.from(input);
      out[at] = prng.pick(INTERESTING_BYTES);
      return { bytes: out, op };
    }
    case 'truncate': return { bytes: input.subarray(0, at), op };
    case 'duplicate': {
      const end = Math.min(input.length, at + prng.range(1, 64));
      const slice = input.subarray(at, end);
      return { bytes: Buffer.concat([input.subarray(0, end), ...Array.from({ length: prng.range(1, 8) }, () => slice), input.subarray(end)]), op };
    }
    case 'splice': {
      const donor = donors.length > 0 ? prng.pick(donors) : input;
      return { bytes: Buffer.concat([input.subarray(0, at), donor.subarray(prng.int(donor.length))]), op };
    }
    case 'insert': return { bytes: Buffer.concat([input.subarray(0, at), prng.bytes(prng.range(1, 32)), input.subarray(at)]), op };
    case 'erase': return { bytes: Buffer.concat([input.subarray(0, at), input.subarray(Math.min(input.length, at + prng.range(1, 32)))]), op };
  }
}
