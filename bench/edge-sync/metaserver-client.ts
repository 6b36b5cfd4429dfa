import { get, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import type { WatchHandle, WatchLineHandler } from '../api/kube-client.js';

/*
 * MetaServer is plain HTTP on loopback (edgecore/metaserver), so the benchmark's https client
 * (bench/api/kube-client.ts) cannot talk to it; these two calls are all it needs.
 */

/** GETs a MetaServer path and reads the whole body as text; non-200 answers are failures. */
export function metaGetText(baseUrl: string, path: string): Promise<Result<string>> {
  return new Promise((resolve) => {
    const req = get(new URL(path, baseUrl), (res) => {
      readAll(res).then((text) => {
        resolve(res.statusCode === 200 ? ok(text) : fail('Unavailable', `GET ${path}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
      }, (err: unknown) => resolve(fail('Unavailable', `GET ${path}: ${errorMessage(err)}`)));
    });
    req.on('error', (err) => resolve(fail('Unavailable', `GET ${path}: ${err.message}`)));
  });
}

/**
 * Opens a MetaServer watch (the path carries watch=1). Resolves once the headers arrived, which
 * MetaServer flushes after the watch is subscribed, so no later commit is missed. Each complete
 * line goes to onLine with the time its chunk arrived, taken before any parsing.
 */
export function openMetaWatch(baseUrl: string, path: string, onLine: WatchLineHandler): Promise<Result<WatchHandle>> {
  return new Promise((resolve) => {
    let endedResolve: () => void = () => {};
    const ended = new Promise<void>((r) => (endedResolve = r));
    const req = get(new URL(path, baseUrl), (res) => {
      if (res.statusCode !== 200) {
        readAll(res).then(
          (text) => resolve(fail('Unavailable', `GET ${path}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`)),
          (err: unknown) => resolve(fail('Unavailable', `GET ${path}: ${errorMessage(err)}`)),
        );
        return;
      }
      splitLines(res, onLine);
      res.on('close', endedResolve);
      res.on('error', endedResolve);
      resolve(ok({ close: () => req.destroy(), ended }));
    });
    req.on('error', (err) => {
      endedResolve();
      resolve(fail('Unavailable', `GET ${path}: ${err.message}`));
    });
  });
}

function splitLines(res: IncomingMessage, onLine: WatchLineHandler): void {
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

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}
