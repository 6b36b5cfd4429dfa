import { z } from 'zod';
import {
  compileFilter,
  encodeContinue,
  includeObjectOf,
  invalidContinue,
  parseListParams,
  parseSelectorParams,
  toTable,
  wantsTable,
  writeJson,
} from '../../shared/apimachinery/endpoints/index.js';
import { errors } from '../../shared/apimachinery/errors/index.js';
import { apiVersionOf } from '../../shared/apimachinery/resources/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { servedObject } from './object-view.js';
import type { ReadContext, ResourceCall } from './request.js';

/** GET of one object. */
export function handleGet(call: ResourceCall, ctx: ReadContext): void {
  const { def } = call.served;
  const name = call.name ?? '';
  const stored = ctx.store.objects.get(def.kind, call.namespace ?? '', name);
  if (stored === undefined) throw errors.notFound({ group: def.group, resource: def.resource, name });
  const obj = servedObject(stored.object, stored.localRevision);
  const tableVersion = wantsTable(call.req);
  if (tableVersion !== undefined) {
    writeJson(call.res, 200, toTable(def, [obj], { version: tableVersion, include: includeObjectOf(call.query), now: ctx.now(), resourceVersion: String(stored.localRevision) }));
    return;
  }
  writeJson(call.res, 200, obj);
}

const keyOf = (obj: KubeObject): [string, string] => [obj.metadata.namespace ?? '', obj.metadata.name ?? ''];

/**
 * The edge's resume key inside the shared continue token (endpoints/continue-token.ts): the
 * [namespace, name] of the last item returned, as JSON.
 */
const resumeKeyShape = z.tuple([z.string(), z.string()]);

function encodeResumeKey(key: [string, string]): string {
  return JSON.stringify(key);
}

function decodeResumeKey(start: string): [string, string] {
  let json: unknown;
  try {
    json = JSON.parse(start);
  } catch {
    // A start key that is not ours is the same client error as a malformed token.
    throw invalidContinue();
  }
  const parsed = resumeKeyShape.safeParse(json);
  if (!parsed.success) throw invalidContinue();
  return parsed.data;
}

/** Whether `key` sorts after `after` in the store's (namespace, name) order. */
function isAfter(key: [string, string], after: [string, string]): boolean {
  return key[0] === after[0] ? key[1] > after[1] : key[0] > after[0];
}

/**
 * LIST with label/field selectors, limit/continue, and Tables. The list's resourceVersion is the
 * edge's current revision, read in the same synchronous step as the rows, so a watch from it
 * misses nothing. Later pages read the current rows after the last key (the edge keeps no
 * snapshots), and carry the first page's resourceVersion.
 */
export function handleList(call: ResourceCall, ctx: ReadContext): void {
  const { def } = call.served;
  const filter = compileFilter(def, parseSelectorParams(call.query));
  const params = parseListParams(call.query);
  const { limit, continueToken: token } = params;
  const after = token === undefined ? undefined : decodeResumeKey(token.start);

  const revision = token?.rv ?? ctx.store.revisions.current();
  let items = ctx.store.objects
    .list(def.kind, call.namespace)
    .map((stored) => servedObject(stored.object, stored.localRevision))
    .filter((obj) => filter.matches(obj));
  if (after !== undefined) items = items.filter((obj) => isAfter(keyOf(obj), after));
  let continueToken: string | undefined;
  if (limit > 0 && items.length > limit) {
    items = items.slice(0, limit);
    const last = items[limit - 1];
    if (last !== undefined) continueToken = encodeContinue(revision, encodeResumeKey(keyOf(last)));
  }

  const tableVersion = wantsTable(call.req);
  if (tableVersion !== undefined) {
    writeJson(call.res, 200, toTable(def, items, {
      version: tableVersion, include: params.includeObject, now: ctx.now(),
      resourceVersion: String(revision), ...(continueToken === undefined ? {} : { continueToken }),
    }));
    return;
  }
  writeJson(call.res, 200, {
    kind: def.listKind,
    apiVersion: apiVersionOf(def),
    metadata: { resourceVersion: String(revision), ...(continueToken === undefined ? {} : { continue: continueToken }) },
    items,
  });
}
