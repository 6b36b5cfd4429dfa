import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { errorMessage } from '../../shared/errors.js';
import type { StepResult } from './join-steps.js';
import { MAX_BODY_BYTES } from './request-schemas.js';

/**
 * Reads a JSON request body of at most MAX_BODY_BYTES and parses it with `schema`: the handler
 * gets the typed value, or the refusal to send (415, 413, 400 with every problem listed).
 */
export function readJsonBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<StepResult<z.output<S>>> {
  return new Promise((resolve) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (type !== 'application/json') {
      resolve({ ok: false, refusal: { status: 415, code: 'UnsupportedMediaType', message: 'send the body as application/json' } });
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        resolve({ ok: false, refusal: { status: 413, code: 'RequestEntityTooLarge', message: `request body is larger than ${MAX_BODY_BYTES} bytes` } });
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      resolve({ ok: false, refusal: { status: 400, code: 'BadRequest', message: `cannot read the request: ${errorMessage(err)}` } });
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      let raw: unknown;
      try {
        raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        resolve({ ok: false, refusal: { status: 400, code: 'BadRequest', message: `body is not valid JSON: ${errorMessage(err)}` } });
        return;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`);
        resolve({ ok: false, refusal: { status: 400, code: 'BadRequest', message: `invalid request: ${problems.join('; ')}` } });
        return;
      }
      resolve({ ok: true, value: parsed.data });
    });
  });
}
