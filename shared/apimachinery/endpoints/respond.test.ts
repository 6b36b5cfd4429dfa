import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { errors } from '../errors/status.js';
import { writeError } from './respond.js';

/** Captures what writeError writes, without a socket. */
function capture(): { res: ServerResponse; written: () => { code: number; body: Record<string, unknown> } } {
  let code = 0;
  let text = '';
  const res = {
    headersSent: false,
    writeHead: (c: number) => (code = c),
    end: (t: string) => (text = t),
  } as unknown as ServerResponse;
  return { res, written: () => ({ code, body: JSON.parse(text) as Record<string, unknown> }) };
}

describe('writeError', () => {
  it('never sends a storage or exception message: a generic 500', () => {
    for (const err of [new Error('SQLITE_MISMATCH: datatype mismatch'), errors.hiddenInternal('SQLITE_BUSY: database is locked'), new RangeError('Maximum call stack size exceeded')]) {
      const { res, written } = capture();
      writeError(res, err);
      expect(written()).toEqual({ code: 500, body: expect.objectContaining({ reason: 'InternalError', message: 'Internal error occurred', code: 500 }) });
      expect(JSON.stringify(written().body)).not.toMatch(/SQLITE|mismatch|locked|stack/);
    }
  });

  it('sends an ApiError as it is', () => {
    const { res, written } = capture();
    writeError(res, errors.badRequest('invalid limit "x"'));
    expect(written()).toEqual({ code: 400, body: expect.objectContaining({ message: 'invalid limit "x"' }) });
  });
});
