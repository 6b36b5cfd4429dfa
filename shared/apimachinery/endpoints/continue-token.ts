import { z } from 'zod';
import { errors } from '../errors/status.js';

/**
 * The one continue token of both API servers, as the apiserver's etcd3 storage encodes it:
 * base64url JSON `{v:"meta.k8s.io/v1", rv, start}`. `rv` is the resourceVersion the list's pages
 * belong to; `start` is an opaque resume key only the server that issued it interprets (the
 * cloud's store key, the edge's namespace/name).
 */
export interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

const continueTokenShape = z.object({
  v: z.literal('meta.k8s.io/v1'),
  rv: z.number().int().nonnegative(),
  start: z.string(),
});

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start } satisfies ContinueToken)).toString('base64url');
}

/** The error for a token we cannot read: a client error, not ours. */
export function invalidContinue(): Error {
  return errors.badRequest('continue key is not valid: malformed token');
}

/** Decodes a token; throws the 400 "continue key is not valid" ApiError on anything else. */
export function decodeContinue(text: string): ContinueToken {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    // Not JSON at all: the same client error as a JSON token of the wrong shape, below.
    throw invalidContinue();
  }
  const parsed = continueTokenShape.safeParse(json);
  if (!parsed.success) throw invalidContinue();
  return parsed.data;
}
