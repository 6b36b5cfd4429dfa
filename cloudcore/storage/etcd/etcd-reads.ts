import type { Etcd3, IRangeResponse } from 'etcd3';
import { OutpostError, errorMessage } from '../../../shared/errors.js';
import type { KeyValue, ListOptions, ListResult, StoreResult } from '../types.js';
import { dataKey, listRange, type EtcdLayout } from './etcd-layout.js';
import { readFailure, toEtcdRevision, toKeyValue, toStoreRevision } from './etcd-values.js';

/** Keys per etcd range when a list pages internally: grpc-js refuses answers above 4 MiB. */
export const LIST_PAGE_KEYS = 500;

export interface ReadContext {
  client: Etcd3;
  layout: EtcdLayout;
  base: number;
  deadlineMs: number;
  /** Told every revision etcd reports, so the current revision follows other cloudcores. */
  sawRevision: (storeRevision: number) => void;
}

/** A range, with etcd's compacted/future answers returned as the Store's codes. */
async function range(
  ctx: ReadContext,
  request: Parameters<Etcd3['kv']['range']>[0],
): Promise<StoreResult<IRangeResponse>> {
  try {
    const res = await ctx.client.kv.range(request, { deadline: Date.now() + ctx.deadlineMs });
    ctx.sawRevision(toStoreRevision(ctx.base, res.header.revision));
    return { ok: true, value: res };
  } catch (err) {
    const code = readFailure(err);
    const at = request.revision === undefined ? 'now' : `revision ${toStoreRevision(ctx.base, request.revision)}`;
    if (code === 'Compacted') return { ok: false, code, message: `${at} has been compacted` };
    if (code === 'FutureRevision') return { ok: false, code, message: `${at} is newer than the current revision` };
    throw new OutpostError('Unavailable', `etcd read failed: ${errorMessage(err)}`, { cause: err });
  }
}

function at(ctx: ReadContext, revision: number | undefined): { revision?: number } {
  return revision === undefined || revision === 0 ? {} : { revision: toEtcdRevision(ctx.base, revision) };
}

export async function getKey(ctx: ReadContext, key: string, revision?: number): Promise<StoreResult<KeyValue | undefined>> {
  const res = await range(ctx, { key: dataKey(ctx.layout, key), ...at(ctx, revision) });
  if (!res.ok) return res;
  const kv = res.value.kvs[0];
  return { ok: true, value: kv ? toKeyValue(ctx.layout, ctx.base, kv) : undefined };
}

/**
 * A list in key order at one revision. Without a revision the first range fixes it (its header),
 * and every further page reads at that revision, so the pages form one snapshot.
 */
export async function listKeys(ctx: ReadContext, prefix: string, options: ListOptions): Promise<StoreResult<ListResult>> {
  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
  const items: KeyValue[] = [];
  let startAfter = options.startAfter;
  let revision = options.revision !== undefined && options.revision > 0 ? options.revision : undefined;
  let more = false;
  for (;;) {
    const want = Math.min(limit - items.length, LIST_PAGE_KEYS);
    const res = await range(ctx, { ...listRange(ctx.layout, prefix, startAfter), limit: want, ...at(ctx, revision) });
    if (!res.ok) return res;
    revision ??= toStoreRevision(ctx.base, res.value.header.revision);
    for (const kv of res.value.kvs) {
      const item = toKeyValue(ctx.layout, ctx.base, kv);
      if (item !== undefined) items.push(item);
    }
    more = res.value.more;
    startAfter = items.at(-1)?.key;
    if (!more || items.length >= limit || startAfter === undefined) break;
  }
  return { ok: true, value: { items, revision, more } };
}

export async function countKeys(ctx: ReadContext, prefix: string): Promise<number> {
  const res = await range(ctx, { ...listRange(ctx.layout, prefix), count_only: true });
  if (!res.ok) throw new OutpostError('Unavailable', `etcd count failed: ${res.message}`);
  return Number(res.value.count);
}
