import { z } from 'zod';
import type { IKeyValue } from 'etcd3';
import type { KeyValue, StoreErrorCode, WatchEvent } from '../types.js';
import { storeKeyOf, type EtcdLayout } from './etcd-layout.js';

/**
 * Conversions from etcd's answers to the Store's shapes. etcd3 hands revisions over as decimal
 * strings (int64); they are checked and turned into numbers here, shifted by the store's base
 * revision (etcd-layout.ts).
 */
const revisionText = z.string().regex(/^\d+$/);

export function etcdRevision(text: string | number): number {
  const parsed = revisionText.parse(String(text));
  return Number(parsed);
}

export interface Revisions {
  /** The etcd revision that is store revision 0. */
  base: number;
}

export function toStoreRevision(base: number, etcd: string | number): number {
  return etcdRevision(etcd) - base;
}

export function toEtcdRevision(base: number, store: number): number {
  return store + base;
}

/** A KeyValue of the store from an etcd key-value under the data prefix. */
export function toKeyValue(layout: EtcdLayout, base: number, kv: IKeyValue): KeyValue | undefined {
  const key = storeKeyOf(layout, kv.key);
  if (key === undefined) return undefined;
  return {
    key,
    value: kv.value.toString('utf8'),
    createRevision: toStoreRevision(base, kv.create_revision),
    modRevision: toStoreRevision(base, kv.mod_revision),
  };
}

export interface EtcdEventLike {
  type: 'Put' | 'Delete';
  kv: IKeyValue;
  prev_kv?: IKeyValue | null;
}

/**
 * A Store watch event from an etcd event: a put whose create and mod revisions agree is a create;
 * a delete carries the last value with the delete's revision (etcd's delete event has an empty
 * value, so the last value comes from prev_kv).
 */
export function toWatchEvent(layout: EtcdLayout, base: number, event: EtcdEventLike): WatchEvent | undefined {
  const key = storeKeyOf(layout, event.kv.key);
  if (key === undefined) return undefined;
  const revision = toStoreRevision(base, event.kv.mod_revision);
  const prevKv = event.prev_kv ? toKeyValue(layout, base, event.prev_kv) : undefined;
  if (event.type === 'Delete') {
    const last = prevKv ?? { key, value: '', createRevision: 0, modRevision: revision };
    return { type: 'delete', revision, kv: { ...last, modRevision: revision }, ...(prevKv ? { prevKv } : {}) };
  }
  const kv = toKeyValue(layout, base, event.kv);
  if (kv === undefined) return undefined;
  if (kv.createRevision === kv.modRevision) return { type: 'create', revision, kv };
  return { type: 'update', revision, kv, ...(prevKv ? { prevKv } : {}) };
}

/**
 * etcd answers a read at a compacted revision and at a future one both with OutOfRange; the
 * message tells them apart ("required revision has been compacted" / "is a future revision").
 */
export function readFailure(err: unknown): StoreErrorCode | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('required revision has been compacted')) return 'Compacted';
  if (message.includes('required revision is a future revision')) return 'FutureRevision';
  return undefined;
}
