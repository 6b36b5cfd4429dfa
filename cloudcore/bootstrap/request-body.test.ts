import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonBody } from './request-body.js';

/** A request as readJsonBody reads it: headers and a body stream. */
function request(body: string, contentType = 'application/json'): IncomingMessage {
  const stream = new PassThrough();
  Object.assign(stream, { headers: { 'content-type': contentType } });
  stream.end(body);
  return stream as unknown as IncomingMessage;
}

const schema = z.strictObject({ nodeName: z.string().min(1), count: z.number().default(1) });

describe('readJsonBody', () => {
  it("returns the schema's typed output", async () => {
    const read = await readJsonBody(request('{"nodeName":"edge-1"}'), schema);
    expect(read).toEqual({ ok: true, value: { nodeName: 'edge-1', count: 1 } });
  });

  it('refuses other media types, bad JSON, and bodies the schema rejects, with every problem', async () => {
    expect(await readJsonBody(request('{}', 'text/plain'), schema)).toMatchObject({ ok: false, refusal: { status: 415, code: 'UnsupportedMediaType' } });
    expect(await readJsonBody(request('{"nodeName":'), schema)).toMatchObject({ ok: false, refusal: { status: 400, code: 'BadRequest' } });
    const invalid = await readJsonBody(request('{"nodeName":"","extra":1}'), schema);
    expect(invalid.ok).toBe(false);
    expect(!invalid.ok && invalid.refusal.message).toMatch(/nodeName: .*; \(body\): /);
  });

  it('refuses a body larger than 64 KiB', async () => {
    expect(await readJsonBody(request(`"${'x'.repeat(70 * 1024)}"`), schema)).toMatchObject({ ok: false, refusal: { status: 413, code: 'RequestEntityTooLarge' } });
  });
});
