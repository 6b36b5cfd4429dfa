import type { KubeObject } from '../../../shared/k8s/types.js';
import { writeJson, writeJsonText } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import { apiVersionOf } from '../../../shared/apimachinery/resources/api-version.js';
import type { ResourceRequest } from './context.js';
import { compileFilter } from '../../../shared/apimachinery/endpoints/filters.js';
import { handleGetScale } from './scale.js';
import { encodeContinue } from '../../../shared/apimachinery/endpoints/continue-token.js';
import { includeObjectOf, parseListParams, parseSelectorParams } from '../../../shared/apimachinery/endpoints/list-options.js';
import { toTable, wantsTable } from '../../../shared/apimachinery/endpoints/table.js';

/** GET of one object, its status or its scale. */
export async function handleGet(r: ResourceRequest): Promise<void> {
  const name = r.info.name ?? '';
  const obj = await r.ctx.objects.get(r.def, r.info.namespace, name);
  if (obj === undefined) throw errors.notFound({ group: r.def.group, resource: r.def.resource, name });
  const sub = r.info.subresource;
  if (sub === 'scale') return handleGetScale(r, obj);
  if (sub !== undefined && !(sub === 'status' && r.def.subresources.status)) throw errors.notFoundPath(r.info.path);
  const tableVersion = wantsTable(r.req);
  if (tableVersion !== undefined && sub === undefined) {
    writeJson(r.res, 200, toTable(r.def, [obj], { version: tableVersion, include: includeObjectOf(r.query), now: r.ctx.now(), resourceVersion: obj.metadata.resourceVersion ?? '' }));
    return;
  }
  writeJson(r.res, 200, obj);
}

/** A whole list with no selector, as JSON: items are spliced from their stored text. */
async function writePlainList(r: ResourceRequest): Promise<void> {
  const res = await r.ctx.objects.listJson(r.def, r.info.namespace);
  if (!res.ok) throw errors.hiddenInternal(res.message);
  const head = `{"kind":${JSON.stringify(r.def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(r.def))},"metadata":{"resourceVersion":"${res.value.revision}"},"items":[`;
  writeJsonText(r.res, 200, `${head}${res.value.items.join(',')}]}`);
}

const PAGE = 1000;

/**
 * LIST with label/field selectors and limit/continue. All pages of one list are read at the
 * revision of the first page; when that revision has been compacted the client gets 410 and must
 * start over, as with etcd.
 */
export async function handleList(r: ResourceRequest): Promise<void> {
  const filter = compileFilter(r.def, parseSelectorParams(r.query));
  const params = parseListParams(r.query);
  const { limit, continueToken: token } = params;
  if (filter.empty && wantsTable(r.req) === undefined && limit === 0 && token === undefined) {
    await writePlainList(r);
    return;
  }
  let revision = token?.rv ?? 0;
  let startAfter = token?.start;
  const items: KubeObject[] = [];
  let more = false;
  let lastKey: string | undefined;
  for (;;) {
    const chunk = limit > 0 ? Math.max(limit - items.length, filter.empty ? 0 : PAGE) : 0;
    const res = await r.ctx.objects.list(r.def, r.info.namespace, { revision, ...(startAfter ? { startAfter } : {}), limit: chunk });
    if (!res.ok) {
      if (res.code === 'Compacted') {
        throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      // A continue token naming a revision the store has not reached (docs/limits.md § API, "Internal errors").
      if (res.code === 'FutureRevision') throw errors.tooLargeResourceVersion(revision, r.ctx.objects.store.currentRevision());
      throw errors.hiddenInternal(res.message);
    }
    revision = res.value.revision;
    for (const obj of res.value.items) {
      if (filter.empty || filter.matches(obj)) items.push(obj);
    }
    lastKey = res.value.lastKey ?? lastKey;
    startAfter = lastKey;
    more = res.value.more;
    if (!more || limit === 0 || items.length >= limit) break;
  }
  if (limit > 0 && items.length > limit) {
    // Filtering read past the page: cut back and continue after the last item returned.
    items.length = limit;
    more = true;
    const last = items[limit - 1];
    lastKey = last === undefined ? lastKey : r.ctx.objects.key(r.def, last.metadata.namespace, last.metadata.name ?? '');
  }
  const continueToken = more && lastKey !== undefined ? encodeContinue(revision, lastKey) : undefined;
  const tableVersion = wantsTable(r.req);
  if (tableVersion !== undefined) {
    writeJson(r.res, 200, toTable(r.def, items, {
      version: tableVersion, include: params.includeObject, now: r.ctx.now(),
      resourceVersion: String(revision), ...(continueToken ? { continueToken } : {}),
    }));
    return;
  }
  writeJson(r.res, 200, {
    kind: r.def.listKind,
    apiVersion: apiVersionOf(r.def),
    metadata: { resourceVersion: String(revision), ...(continueToken ? { continue: continueToken } : {}) },
    items,
  });
}
