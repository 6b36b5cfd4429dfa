import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { errors } from '../errors/status.js';
import { addWarning, markPretty, MAX_WARNING_CHARS, MAX_WARNINGS_BYTES, writeError, writeJsonText } from './respond.js';

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

describe('addWarning', () => {
  function headers(): { res: ServerResponse; values: () => string[] } {
    let value: string[] = [];
    const res = {
      getHeader: () => (value.length === 0 ? undefined : value),
      setHeader: (_name: string, v: string[]) => (value = v),
    } as unknown as ServerResponse;
    return { res, values: () => value };
  }

  it('escapes what a header value cannot carry (an echoed field name held it; it was a 500 found by the fuzz suite)', () => {
    const { res, values } = headers();
    addWarning(res, 'unknown field "spec.\u0000é👩\u007f"');
    expect(values()).toEqual(['299 - "unknown field \\"spec.\\u0000\\u00e9\\ud83d\\udc69\\u007f\\""']);
    expect(values().every((v) => /^[\x20-\x7e]*$/.test(v))).toBe(true);
  });

  it('cuts each warning to 256 characters and all of them to 4 KiB', () => {
    const { res, values } = headers();
    addWarning(res, 'x'.repeat(70_000));
    expect(values()[0]).toBe(`299 - "${'x'.repeat(MAX_WARNING_CHARS)}..."`);
    for (let i = 0; i < 100; i++) addWarning(res, `unknown field "f${i}"`.padEnd(200, '.'));
    expect(values().reduce((sum, v) => sum + v.length, 0)).toBeLessThanOrEqual(MAX_WARNINGS_BYTES);
  });
});

describe('pretty responses', () => {
  it('are indented by two spaces, as json.MarshalIndent, only when marked', () => {
    const plain = capture();
    writeJsonText(plain.res, 200, '{"kind":"Pod","metadata":{"name":"p"}}');
    const pretty = capture();
    markPretty(pretty.res);
    writeJsonText(pretty.res, 200, '{"kind":"Pod","metadata":{"name":"p"}}');
    let text = '';
    const raw = { headersSent: false, writeHead: () => undefined, end: (t: string) => (text = t) } as unknown as ServerResponse;
    markPretty(raw);
    writeJsonText(raw, 200, '{"kind":"Pod","metadata":{"name":"p"}}');
    expect(text).toBe('{\n  "kind": "Pod",\n  "metadata": {\n    "name": "p"\n  }\n}\n');
    expect(plain.written().body).toEqual(pretty.written().body);
  });
});
