import type { Etcd3, IRangeResponse } from 'etcd3';
import { OutpostError, errorMessage } from '../../../shared/errors.js';
import type { KeyValue, ListOptions, ListResult, StoreResult } from '../types.js';
import { dataKey, listRange, type EtcdLayout } from './etcd-layout.js';
import { readFailure, toEtcdRevision, toKeyValue, toStoreRevision } from './etcd-values.js';

/**
 * A list reads at most this many keys per etcd range, and fewer when values are big: the next
 * page is sized from the last one's bytes to stay near PAGE_BYTES. grpc-js refuses answers above
 * 4 MiB by default (the client lifts that cap for single big objects, as kube-apiserver does, but
 * a list must not depend on it), and an oversized answer would also count against the client's
 * circuit breaker.
 */
export const LIST_PAGE_KEYS = 500;
/** The first page is smaller: nothing is known about the values' sizes yet. */
const FIRST_PAGE_KEYS = 64;
export const PAGE_BYTES = 2 * 1024 * 1024;

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
  let pageKeys = FIRST_PAGE_KEYS;
  for (;;) {
    const want = Math.min(limit - items.length, pageKeys);
    const res = await range(ctx, { ...listRange(ctx.layout, prefix, startAfter), limit: want, ...at(ctx, revision) });
    if (!res.ok) return res;
    pageKeys = nextPageKeys(res.value, pageKeys);
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

function nextPageKeys(page: IRangeResponse, current: number): number {
  const bytes = page.kvs.reduce((sum, kv) => sum + kv.key.length + kv.value.length, 0);
  if (bytes > PAGE_BYTES && page.kvs.length > 1) return Math.max(1, Math.floor((page.kvs.length * PAGE_BYTES) / bytes));
  if (bytes < PAGE_BYTES / 4) return Math.min(LIST_PAGE_KEYS, current * 2);
  return current;
}

export async function countKeys(ctx: ReadContext, prefix: string): Promise<number> {
  const res = await range(ctx, { ...listRange(ctx.layout, prefix), count_only: true });
  if (!res.ok) throw new OutpostError('Unavailable', `etcd count failed: ${res.message}`);
  return Number(res.value.count);
}
