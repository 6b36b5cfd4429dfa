/**
 * JSON Pointer (RFC 6901): `""` is the whole document, otherwise `/`-separated reference tokens
 * where `~1` stands for `/` and `~0` for `~`.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';

export function parseJsonPointer(pointer: string): Result<string[]> {
  if (pointer === '') return ok([]);
  if (!pointer.startsWith('/')) {
    return fail('BadRequest', `invalid JSON pointer ${JSON.stringify(pointer)}: it must be empty or start with "/"`);
  }
  const tokens: string[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    // Any `~` not followed by 0 or 1 is an invalid escape (RFC 6901 section 3).
    if (/~(?![01])/.test(raw)) {
      return fail('BadRequest', `invalid JSON pointer ${JSON.stringify(pointer)}: "~" must be followed by 0 or 1`);
    }
    // Order matters: ~1 first, so that "~01" becomes "~1" and not "/".
    tokens.push(raw.replaceAll('~1', '/').replaceAll('~0', '~'));
  }
  return ok(tokens);
}

/** An array index token: "0" or a number without leading zeros (RFC 6901 section 4). */
export function parseArrayIndex(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return Number.isSafeInteger(index) ? index : undefined;
}
