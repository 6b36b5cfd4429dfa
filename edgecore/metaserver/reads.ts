import { compileFilter } from '../../cloudcore/apiserver/handlers/filters.js';
import { includeObjectOf, toTable, wantsTable } from '../../cloudcore/apiserver/handlers/table.js';
import { writeJson } from '../../cloudcore/apiserver/http/respond.js';
import { errors } from '../../cloudcore/apiserver/http/status.js';
import { apiVersionOf } from '../../cloudcore/apiserver/registry/resource-registry.js';
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

interface ContinueToken {
  rv: number;
  /** [namespace, name] of the last item returned. */
  after: [string, string];
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    const after = parsed.after;
    if (typeof parsed.rv === 'number' && Array.isArray(after) && after.length === 2 && after.every((v) => typeof v === 'string')) return { rv: parsed.rv, after };
  } catch (err) {
    throw errors.badRequest(`continue key is not valid: ${err instanceof Error ? err.message : String(err)}`);
  }
  throw errors.badRequest('continue key is not valid: malformed token');
}

const keyOf = (obj: KubeObject): [string, string] => [obj.metadata.namespace ?? '', obj.metadata.name ?? ''];

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
  const filter = compileFilter(def, call.query);
  const limitText = call.query.get('limit');
  const limit = limitText === null || limitText === '' ? 0 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) throw errors.badRequest(`invalid limit ${JSON.stringify(limitText)}`);
  const continueText = call.query.get('continue');
  const token = continueText ? decodeContinue(continueText) : undefined;

  const revision = token?.rv ?? ctx.store.revisions.current();
  let items = ctx.store.objects
    .list(def.kind, call.namespace)
    .map((stored) => servedObject(stored.object, stored.localRevision))
    .filter((obj) => filter.matches(obj));
  if (token !== undefined) items = items.filter((obj) => isAfter(keyOf(obj), token.after));
  let continueToken: string | undefined;
  if (limit > 0 && items.length > limit) {
    items = items.slice(0, limit);
    const last = items[limit - 1];
    if (last !== undefined) continueToken = encodeContinue({ rv: revision, after: keyOf(last) });
  }

  const tableVersion = wantsTable(call.req);
  if (tableVersion !== undefined) {
    writeJson(call.res, 200, toTable(def, items, {
      version: tableVersion, include: includeObjectOf(call.query), now: ctx.now(),
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
