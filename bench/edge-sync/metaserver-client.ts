import { get } from 'node:http';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import { openLineStream, readBody, type WatchHandle, type WatchLineHandler } from '../shared/line-stream.js';

/*
 * MetaServer is plain HTTP on loopback (edgecore/metaserver), so the benchmark's https client
 * (bench/api/kube-client.ts) cannot talk to it; these two calls are all it needs.
 */

/** GETs a MetaServer path and reads the whole body as text; non-200 answers are failures. */
export function metaGetText(baseUrl: string, path: string): Promise<Result<string>> {
  return new Promise((resolve) => {
    const req = get(new URL(path, baseUrl), (res) => {
      void readBody(res).then((text) => {
        if (!text.ok) resolve(fail('Unavailable', `GET ${path}: ${text.message}`));
        else resolve(res.statusCode === 200 ? ok(text.value) : fail('Unavailable', `GET ${path}: HTTP ${res.statusCode}: ${text.value.slice(0, 300)}`));
      });
    });
    req.on('error', (err) => resolve(fail('Unavailable', `GET ${path}: ${errorMessage(err)}`)));
  });
}

/**
 * Opens a MetaServer watch (the path carries watch=1). Resolves once the headers arrived, which
 * MetaServer flushes after the watch is subscribed, so no later commit is missed. Each complete
 * line goes to onLine with the time its chunk arrived, taken before any parsing.
 */
export function openMetaWatch(baseUrl: string, path: string, onLine: WatchLineHandler): Promise<Result<WatchHandle>> {
  return openLineStream(`GET ${path}`, (onResponse) => get(new URL(path, baseUrl), onResponse), onLine);
}
