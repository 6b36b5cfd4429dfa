import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { closeServer } from '../../shared/http-server.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { EdgeStore } from '../metamanager/index.js';

const reportSchema = z.strictObject({
  namespace: z.string().min(1).max(253),
  name: z.string().min(1).max(253),
  uid: z.string().min(1).max(128),
  status: z.record(z.string(), z.unknown()),
});
const bodySchema = z.strictObject({ reports: z.array(reportSchema).min(1).max(10_000) });
const eventSchema = z.strictObject({
  about: z.strictObject({ kind: z.enum(['Pod', 'Node']), namespace: z.string().min(1).max(253).optional(), name: z.string().min(1).max(253), uid: z.string().min(1).max(128).optional() }),
  type: z.enum(['Normal', 'Warning']),
  reason: z.string().min(1).max(128),
  message: z.string().max(1024),
  times: z.number().int().min(1).max(10_000).default(1),
});
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface DebugServerOptions {
  store: EdgeStore;
  port: number;
  logger: Logger;
  /** What GET /debug/state answers: the connection, the outbox, the hub's counters. */
  describe: () => unknown;
}

export interface DebugServer extends Module {
  url(): string;
  readonly token: string;
}

/**
 * A loopback-only endpoint that queues pod status reports into the outbox, as edged will once it
 * exists (issue 4: tests drive the upstream path through it). It is off unless configured, binds
 * 127.0.0.1 only, and wants the bearer token written to the edge's endpoints.json (mode 0600).
 */
export function createDebugServer(options: DebugServerOptions): DebugServer {
  const token = randomBytes(24).toString('base64url');
  let server: Server | undefined;
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = Buffer.from(req.headers.authorization ?? '');
    const wanted = Buffer.from(`Bearer ${token}`);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return answer(res, 401, { message: 'bearer token required' });
    if (req.method === 'GET' && req.url === '/debug/state') return answer(res, 200, options.describe());
    if (req.method !== 'POST' || (req.url !== '/debug/pod-status' && req.url !== '/debug/event')) return answer(res, 404, { message: 'not found' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return answer(res, 413, { message: 'body too large' });
      chunks.push(chunk);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      return answer(res, 400, { message: `body is not JSON: ${err instanceof Error ? err.message : String(err)}` });
    }
    if (req.url === '/debug/event') return recordEvents(raw, res);
    const parsed = bodySchema.safeParse(raw);
    if (!parsed.success) return answer(res, 400, { message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const seqs = options.store.db.transaction(() => parsed.data.reports.map((r) => options.store.reportPodStatus(r, r.status)))();
    answer(res, 200, { queued: seqs.length, lastSeq: seqs.at(-1) });
  }

  /** Records an event `times` times, as a component on the edge would (tests of R25). */
  function recordEvents(raw: unknown, res: ServerResponse): void {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) return answer(res, 400, { message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const { times, ...event } = parsed.data;
    let recorded = 0;
    for (let i = 0; i < times; i++) if (options.store.recordEvent({ ...event, component: 'outpost-debug' })) recorded++;
    answer(res, 200, { recorded, dropped: times - recorded });
  }

  return {
    name: 'debug-server',
    token,
    url: () => `http://127.0.0.1:${port}`,
    async start() {
      server = createServer((req, res) => {
        handle(req, res).catch((err: unknown) => {
          options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'debug request failed');
          answer(res, 500, { message: 'internal error' });
        });
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(options.port, '127.0.0.1', () => resolve());
      });
      port = (server.address() as AddressInfo).port;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      await closeServer(s);
    },
  };
}

function answer(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
