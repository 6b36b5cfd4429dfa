import { Agent, request } from 'node:https';
import type { HttpCase } from './api-bodies.js';

/**
 * Sends fuzz requests to the API over a pool of kept-alive TLS connections and says what came
 * back. A response whose headers arrive in time is never a hang, even if its body streams on (a
 * watch, a followed log): after the headers the body is read for a short while, then dropped.
 */
export interface ApiCredentials {
  server: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export type SendOutcome =
  | { kind: 'response'; status: number; body: string; streaming: boolean }
  | { kind: 'hang'; afterMs: number }
  | { kind: 'connectionError'; message: string; reusedSocket: boolean }
  /** The client library refused to send it (characters a request line cannot carry): not the server's doing. */
  | { kind: 'unsendable'; message: string };

/** Enough of a body to judge it; the rest is read and dropped. */
const BODY_KEEP_BYTES = 64 * 1024;
/** A body still streaming after this long is a watch or a follow, and is cut. */
const STREAM_GRACE_MS = 1_500;

export class HttpSender {
  private readonly agent: Agent;
  /** One connection per request: for the retry of a request whose kept-alive connection was gone. */
  private readonly freshAgent: Agent;

  constructor(private readonly creds: ApiCredentials, parallel: number, private readonly timeoutMs: number) {
    this.agent = new Agent({ ca: creds.ca, cert: creds.cert, key: creds.key, keepAlive: true, maxSockets: parallel });
    this.freshAgent = new Agent({ ca: creds.ca, cert: creds.cert, key: creds.key, keepAlive: false });
  }

  /**
   * A request sent on a kept-alive connection the server was closing at that moment fails with a
   * reset through no fault of either side; Node's documentation says to retry it, and it is
   * retried once, on a new connection. A reset there is the server's doing.
   */
  async send(c: HttpCase): Promise<SendOutcome> {
    const first = await this.sendOnce(c, this.agent);
    if (first.kind === 'connectionError' && first.reusedSocket) return this.sendOnce(c, this.freshAgent);
    return first;
  }

  private sendOnce(c: HttpCase, agent: Agent): Promise<SendOutcome> {
    const started = Date.now();
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: SendOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(headerTimer);
        resolve(outcome);
      };
      let req: ReturnType<typeof request>;
      try {
        const url = new URL(this.creds.server);
        req = request({
          host: url.hostname,
          port: url.port,
          path: c.path,
          method: c.method,
          agent,
          // A HEAD on a watch has its headers and no body, but the server streams on: the
          // connection must not go back to the pool, or the next request would wait behind it.
          headers: { ...c.headers, ...(c.body !== undefined ? { 'Content-Length': String(c.body.length) } : {}), ...(c.method === 'HEAD' ? { Connection: 'close' } : {}) },
        });
      } catch (err) {
        resolve({ kind: 'unsendable', message: (err as Error).message });
        return;
      }
      const headerTimer = setTimeout(() => {
        finish({ kind: 'hang', afterMs: Date.now() - started });
        req.destroy();
      }, this.timeoutMs);
      req.on('response', (res) => {
        clearTimeout(headerTimer);
        const chunks: Buffer[] = [];
        let kept = 0;
        const streamTimer = setTimeout(() => {
          finish({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), streaming: true });
          res.destroy();
        }, STREAM_GRACE_MS);
        res.on('data', (chunk: Buffer) => {
          if (kept < (c.keepBytes ?? BODY_KEEP_BYTES)) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () => {
          clearTimeout(streamTimer);
          finish({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), streaming: false });
        });
        res.on('error', () => clearTimeout(streamTimer)); // a cut stream: the outcome is already settled or follows from 'close'
        res.on('close', () => {
          clearTimeout(streamTimer);
          finish({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), streaming: !res.complete });
        });
      });
      req.on('error', (err) => finish({ kind: 'connectionError', message: err.message, reusedSocket: req.reusedSocket }));
      if (c.body !== undefined) req.write(c.body);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
    this.freshAgent.destroy();
  }
}
