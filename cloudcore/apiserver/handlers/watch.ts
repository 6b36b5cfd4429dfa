import type { KubeObject } from '../../../shared/k8s/types.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ObjectEvent } from '../registry/object-store.js';
import { apiVersionOf } from '../../../shared/apimachinery/resources/api-version.js';
import type { ResourceRequest } from './context.js';
import { compileFilter, type ObjectFilter } from '../../../shared/apimachinery/endpoints/filters.js';
import { parseSelectorParams, parseWatchParams } from '../../../shared/apimachinery/endpoints/list-options.js';
import { toTable, wantsTable } from '../../../shared/apimachinery/endpoints/table.js';
import { stringifyJson } from '../../../shared/json/index.js';

type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A slow reader that lets this much pile up is cut off, as the apiserver drops slow watchers. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * WATCH with Kubernetes' resourceVersion semantics (docs/kubectl.md § Watch):
 * - unset or "0": synthetic ADDED events for the current state, then changes;
 * - N: changes after N; a compacted N gets an ERROR event with a 410 Status, then the stream ends;
 * - label/field selectors turn objects entering or leaving the selection into ADDED/DELETED;
 * - BOOKMARK events when allowWatchBookmarks=true; the stream ends after timeoutSeconds.
 */
export async function handleWatch(r: ResourceRequest): Promise<void> {
  const filter = compileFilter(r.def, parseSelectorParams(r.query), r.info.name);
  const { resourceVersion, timeoutSeconds, allowWatchBookmarks: bookmarks, includeObject: include } = parseWatchParams(r.query);
  const tableVersion = wantsTable(r.req);

  let fromRevision = resourceVersion;
  let initial: KubeObject[] = [];
  if (fromRevision === 0) {
    const listed = await r.ctx.objects.list(r.def, r.info.namespace);
    if (!listed.ok) throw errors.hiddenInternal(listed.message);
    fromRevision = listed.value.revision;
    initial = listed.value.items.filter((obj) => filter.matches(obj));
  }

  const res = r.res;
  let headersWritten = false;
  let lastRevision = fromRevision;
  const writeHeaders = (): void => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    headersWritten = true;
    // Sent now: a HEAD request's writes are dropped, and they would never carry the headers out.
    res.flushHeaders();
  };
  const sendLine = (line: string): void => {
    if (!headersWritten) writeHeaders();
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };
  const send = (type: WatchType, object: unknown): void => sendLine(`${stringifyJson({ type, object })}\n`);
  let tableHeadersSent = false;
  const render = (obj: KubeObject): unknown => {
    if (tableVersion === undefined) return obj;
    const table = toTable(r.def, [obj], { version: tableVersion, include, now: r.ctx.now(), withHeaders: !tableHeadersSent });
    tableHeadersSent = true;
    return table;
  };

  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    if (abort.signal.aborted) return;
    abort.abort();
    clearTimeout(timer);
    clearInterval(bookmarkTimer);
    if (!headersWritten) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      headersWritten = true;
    }
    res.end();
  };
  // The response closing is how we learn the client went away (req 'close' fires after the body).
  res.on('close', finish);

  const started = r.ctx.objects.watch(r.def, r.info.namespace, fromRevision, abort.signal, (events) => {
    for (const event of events) {
      lastRevision = event.revision;
      const type = transition(event, filter);
      if (type === undefined) continue;
      if (tableVersion === undefined) sendLine(`{"type":"${type}","object":${event.objectJson()}}\n`);
      else send(type, render(event.object));
    }
  });
  if (!started.ok) {
    // Kubernetes answers a resourceVersion newer than the store's with 504 "Too large resource version".
    if (started.code === 'FutureRevision') throw errors.tooLargeResourceVersion(fromRevision, r.ctx.objects.store.currentRevision());
    if (started.code !== 'Compacted') throw errors.hiddenInternal(started.message);
    send('ERROR', errors.gone(`too old resource version: ${fromRevision} (${r.ctx.objects.store.compactedRevision()})`).status);
    finish();
    return;
  }
  for (const obj of initial) send('ADDED', render(obj));
  if (!headersWritten) writeHeaders();
  if (timeoutSeconds > 0) timer = setTimeout(finish, timeoutSeconds * 1000);
  if (bookmarks) {
    bookmarkTimer = setInterval(() => {
      send('BOOKMARK', { kind: r.def.kind, apiVersion: apiVersionOf(r.def), metadata: { resourceVersion: String(lastRevision) } });
    }, r.ctx.bookmarkIntervalMs);
  }
}

/** Maps a store event through the selector: entering the selection is ADDED, leaving it DELETED. */
function transition(event: ObjectEvent, filter: ObjectFilter): Exclude<WatchType, 'BOOKMARK' | 'ERROR'> | undefined {
  if (event.type === 'ADDED') return filter.matches(event.object) ? 'ADDED' : undefined;
  if (event.type === 'DELETED') {
    return filter.matches(event.previous ?? event.object) ? 'DELETED' : undefined;
  }
  const now = filter.matches(event.object);
  const before = event.previous !== undefined && filter.matches(event.previous);
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}
