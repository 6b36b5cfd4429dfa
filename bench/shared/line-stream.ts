import type { ClientRequest, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/*
 * Watch streams as the benchmarks read them: the Kubernetes API's (https, bench/api/kube-client.ts)
 * and MetaServer's (plain http, bench/edge-sync/metaserver-client.ts) both send one JSON event
 * per line on a long response; only the request differs.
 */

/** An open watch stream; lines arrive through the callback given when it was opened. */
export interface WatchHandle {
  close(): void;
  /** Resolves when the server ends the stream or it fails. */
  ended: Promise<void>;
}

/** Called once per complete JSON line, with the time its chunk arrived (performance.now()). */
export type WatchLineHandler = (line: string, receivedAt: number) => void;

/**
 * Opens a line stream: `send` issues the request (and ends it) with the given response handler.
 * Resolves once the response headers arrived (servers send them when the watch is registered, so
 * no later event is missed); an answer other than 200 is a failure with the start of its body.
 * `what` (e.g. "GET /api/v1/pods?watch=true") prefixes failure messages.
 */
export function openLineStream(what: string, send: (onResponse: (res: IncomingMessage) => void) => ClientRequest, onLine: WatchLineHandler): Promise<Result<WatchHandle>> {
  return new Promise((resolve) => {
    let endedResolve: () => void = () => {};
    const ended = new Promise<void>((r) => {
      endedResolve = r;
    });
    const req = send((res) => {
      if (res.statusCode !== 200) {
        void readBody(res).then((body) => {
          const text = body.ok ? body.value : `(body unreadable: ${body.message})`;
          resolve(fail('Unavailable', `${what}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
        });
        return;
      }
      streamLines(res, onLine);
      res.on('end', endedResolve);
      res.on('close', endedResolve);
      res.on('error', endedResolve);
      resolve(ok({ close: () => req.destroy(), ended }));
    });
    req.on('error', (err) => {
      endedResolve();
      resolve(fail('Unavailable', `${what}: ${errorMessage(err)}`));
    });
  });
}

/** Splits a chunked response into non-blank lines; the arrival time is taken before any parsing. */
export function streamLines(res: IncomingMessage, onLine: WatchLineHandler): void {
  res.setEncoding('utf8');
  let pending = '';
  res.on('data', (chunk: string) => {
    const receivedAt = performance.now();
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') onLine(line, receivedAt);
      newline = pending.indexOf('\n');
    }
  });
}

/** The whole body as UTF-8 text; a stream error is a failure. */
export function readBody(res: IncomingMessage): Promise<Result<string>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(ok(Buffer.concat(chunks).toString('utf8'))));
    res.on('error', (err) => resolve(fail('Unavailable', errorMessage(err))));
  });
}
