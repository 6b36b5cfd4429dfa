/**
 * Building blocks for validating what the runtime answers. proto-loader has already decoded the
 * bytes (camelCase, int64 as strings, enums by name, defaults filled); these schemas check what a
 * decoder cannot (required messages present, ids non-empty, enum values known) and turn wire
 * shapes into the types edged uses (bigint nanoseconds, numbers, undefined for absent messages).
 */
import { z } from 'zod';
import type { Nanos } from './timestamps.js';

const int64Wire = z.union([z.string().regex(/^-?\d+$/, 'expected an int64 decimal string'), z.number().int()]);

/** int64 nanoseconds since the epoch → bigint (0 = not set). */
export const nanosField = int64Wire.transform((wire): Nanos => BigInt(wire));

/** int64/uint64 whose values stay below 2^53 (sizes, uids) → number. */
export const int64NumberField = int64Wire.transform((wire) => Number(wire));

export const stringMapField = z.record(z.string(), z.string());

/** An id the runtime must fill in. */
export const idField = z.string().min(1, 'the runtime sent an empty id');

/** A sub-message the runtime may leave out: proto3 decodes it as null; edged sees undefined. */
export function optionalMessage<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/** A sub-message that must be present (null from the decoder means the runtime left it out). */
export function requiredMessage<T extends z.ZodType>(schema: T, what: string) {
  return z.custom<unknown>((value) => value !== null && value !== undefined, { message: `the runtime left out ${what}` }).pipe(schema);
}

/** Bytes fields (ExecSync output): Buffers from the decoder, read as UTF-8 text. */
export const textBytesField = z.instanceof(Uint8Array).transform((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));

/** One line naming every problem, for the error edged returns. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(answer)'}: ${issue.message}`).join('; ');
}
