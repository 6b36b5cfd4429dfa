import {
  compileFilter,
  parseSelectorParams,
  parseWatchParams,
  toTable,
  wantsTable,
  type ObjectFilter,
} from '../../shared/apimachinery/endpoints/index.js';
import { errors } from '../../shared/apimachinery/errors/index.js';
import { apiVersionOf } from '../../shared/apimachinery/resources/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { ObjectChange } from '../metamanager/index.js';
import { servedObject } from './object-view.js';
import type { ReadContext, ResourceCall } from './request.js';
import type { WatchHub } from './watch-hub.js';
import { stringifyJson } from '../../shared/json/index.js';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A reader that lets this much pile up is cut off, as the apiserver drops slow watchers. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

interface Pending {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  revision: number;
  object: KubeObject;
}

/**
 * WATCH over the edge's revisions (docs/kubectl.md § Watch):
 * - unset or "0": synthetic ADDED for the current state, then changes;
 * - N: what changed after N, from the objects' revisions and the deletion tombstones, then live
 *   changes. Only the latest state of each object is kept, so several changes in the gap arrive as
 *   one event (as after an etcd compaction of intermediate versions);
 * - N below the compacted revision (tombstones trimmed) or above the current one (the edge's
 *   cache was reset): an ERROR event with a 410 Status, so clients relist;
 * - selectors turn live objects entering or leaving the selection into ADDED/DELETED;
 * - BOOKMARK events when allowWatchBookmarks=true; the stream ends after timeoutSeconds.
 * Catch-up and subscription happen in one synchronous step, so nothing falls between them.
 */
export function handleWatch(call: ResourceCall, ctx: ReadContext, hub: WatchHub): void {
  const { def } = call.served;
  const filter = compileFilter(def, parseSelectorParams(call.query), call.name);
  const { resourceVersion: requested, timeoutSeconds, allowWatchBookmarks: bookmarks, includeObject: include } = parseWatchParams(call.query);
  const tableVersion = wantsTable(call.req);
  const res = call.res;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  // Clients (client-node's informer) wait for the headers before they count the watch as started.
  res.flushHeaders();
  let tableHeadersSent = false;
  const render = (obj: KubeObject): unknown => {
    if (tableVersion === undefined) return obj;
    const table = toTable(def, [obj], { version: tableVersion, include, now: ctx.now(), withHeaders: !tableHeadersSent });
    tableHeadersSent = true;
    return table;
  };
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    clearInterval(bookmarkTimer);
    unsubscribe?.();
    res.end();
  };
  const send = (type: EventType, object: unknown): void => {
    if (finished) return;
    res.write(`${stringifyJson({ type, object })}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };
  // The response closing is how we learn the client went away (req 'close' fires after the body).
  res.on('close', finish);

  const store = ctx.store;
  const current = store.revisions.current();
  if (requested !== 0 && (requested < store.revisions.compacted() || requested > current)) {
    const why = requested > current ? `it is newer than this edge's revision ${current} (the edge cache was reset)` : `events before ${store.revisions.compacted()} were compacted`;
    send('ERROR', errors.gone(`too old resource version: ${requested} (${why})`).status);
    finish();
    return;
  }

  const initial: Pending[] = requested === 0 ? currentState(call, ctx, filter) : changesSince(call, ctx, filter, requested);
  let lastRevision = Math.max(requested, current);
  for (const event of initial) send(event.type, render(event.object));
  unsubscribe = hub.subscribe((change) => {
    if (finished || change.revision <= lastRevision) return;
    lastRevision = change.revision;
    if (change.kind !== def.kind || (call.namespace !== undefined && change.namespace !== call.namespace)) return;
    const type = transition(change, filter);
    if (type === undefined) return;
    send(type, render(servedObject(change.object, change.revision)));
  });
  if (timeoutSeconds > 0) timer = setTimeout(finish, timeoutSeconds * 1000);
  if (bookmarks) {
    bookmarkTimer = setInterval(() => {
      // Every change up to the store's current revision was either sent or not for this watch.
      lastRevision = Math.max(lastRevision, store.revisions.current());
      send('BOOKMARK', { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(lastRevision) } });
    }, ctx.bookmarkIntervalMs);
  }
}

function inScope(call: ResourceCall, namespace: string): boolean {
  return call.namespace === undefined || namespace === call.namespace;
}

function currentState(call: ResourceCall, ctx: ReadContext, filter: ObjectFilter): Pending[] {
  return ctx.store.objects
    .list(call.served.def.kind, call.namespace)
    .map((stored) => ({ type: 'ADDED' as const, revision: stored.localRevision, object: servedObject(stored.object, stored.localRevision) }))
    .filter((event) => filter.matches(event.object));
}

/**
 * What changed after `since`: objects written later (ADDED if they first appeared later, else
 * MODIFIED) and tombstones (skipped for objects the client never saw), in revision order.
 */
function changesSince(call: ResourceCall, ctx: ReadContext, filter: ObjectFilter, since: number): Pending[] {
  const kind = call.served.def.kind;
  const events: Pending[] = [];
  for (const stored of ctx.store.objects.changedSince(kind, since)) {
    if (!inScope(call, stored.namespace)) continue;
    const object = servedObject(stored.object, stored.localRevision);
    if (filter.matches(object)) events.push({ type: stored.createdRevision > since ? 'ADDED' : 'MODIFIED', revision: stored.localRevision, object });
  }
  for (const tomb of ctx.store.revisions.tombstonesSince(kind, since)) {
    if (!inScope(call, tomb.namespace) || tomb.createdRevision > since) continue;
    const object = servedObject(tomb.object, tomb.revision);
    if (filter.matches(object)) events.push({ type: 'DELETED', revision: tomb.revision, object });
  }
  return events.sort((a, b) => a.revision - b.revision);
}

/** Entering the selection is ADDED, leaving it DELETED. */
function transition(change: ObjectChange, filter: ObjectFilter): Pending['type'] | undefined {
  if (change.type === 'ADDED') return filter.matches(change.object as unknown as KubeObject) ? 'ADDED' : undefined;
  if (change.type === 'DELETED') return filter.matches(change.object as unknown as KubeObject) ? 'DELETED' : undefined;
  const now = filter.matches(change.object as unknown as KubeObject);
  const before = change.previous !== undefined && filter.matches(change.previous as unknown as KubeObject);
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}
