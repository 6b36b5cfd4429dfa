import type { Etcd3, ICompare, IKeyValue, IRequestOp, ITxnResponse } from 'etcd3';
import type { StoreWrite } from '../apply-write.js';
import type { KeyValue, StoreResult } from '../types.js';
import { dataKey, type EtcdLayout } from './etcd-layout.js';
import { toEtcdRevision, toKeyValue, toStoreRevision } from './etcd-values.js';

export interface WriteContext {
  client: Etcd3;
  layout: EtcdLayout;
  base: number;
  /** The store's current revision when the write was sent (tells our own retried write apart). */
  revisionAtSend: number;
  deadlineMs: number;
}

export interface WriteOutcome {
  result: StoreResult<KeyValue>;
  /** The store revision of etcd's answer (its header). */
  headerRevision: number;
}

/**
 * One Store write as one etcd transaction (docs/datastore.md § Writes): create compares the key's
 * create revision with 0, update its mod revision with the expected one, delete optionally the
 * same. The failure branch reads the key in the same transaction, which tells NotFound from
 * Conflict, and tells a transaction the client retried after it had committed (the value there is
 * ours, written after we sent it) from a real conflict.
 */
export async function executeWrite(ctx: WriteContext, write: StoreWrite): Promise<WriteOutcome> {
  const key = dataKey(ctx.layout, write.key);
  const compare: ICompare[] = [];
  let success: IRequestOp;
  if (write.kind === 'create') {
    compare.push({ key, target: 'Create', result: 'Equal', create_revision: 0 });
    success = { request_put: { key, value: Buffer.from(write.value, 'utf8') } };
  } else if (write.kind === 'update') {
    compare.push({ key, target: 'Mod', result: 'Equal', mod_revision: toEtcdRevision(ctx.base, write.expectedModRevision) });
    success = { request_put: { key, value: Buffer.from(write.value, 'utf8'), prev_kv: true } };
  } else {
    if (write.expectedModRevision !== undefined) {
      compare.push({ key, target: 'Mod', result: 'Equal', mod_revision: toEtcdRevision(ctx.base, write.expectedModRevision) });
    }
    success = { request_delete_range: { key, prev_kv: true } };
  }
  const res = await ctx.client.kv.txn(
    { compare, success: [success], failure: [{ request_range: { key } }] },
    { deadline: Date.now() + ctx.deadlineMs },
  );
  const headerRevision = toStoreRevision(ctx.base, res.header.revision);
  return { result: interpret(ctx, write, res, headerRevision), headerRevision };
}

function interpret(ctx: WriteContext, write: StoreWrite, res: ITxnResponse, revision: number): StoreResult<KeyValue> {
  if (!res.succeeded) return failedCompare(ctx, write, res.responses[0]?.response_range?.kvs[0]);
  const response = res.responses[0];
  if (write.kind === 'create') {
    return { ok: true, value: { key: write.key, value: write.value, createRevision: revision, modRevision: revision } };
  }
  if (write.kind === 'update') {
    const prev = response?.response_put?.prev_kv;
    const createRevision = prev ? toStoreRevision(ctx.base, prev.create_revision) : revision;
    return { ok: true, value: { key: write.key, value: write.value, createRevision, modRevision: revision } };
  }
  const prev = response?.response_delete_range?.prev_kvs[0];
  const last = prev ? toKeyValue(ctx.layout, ctx.base, prev) : undefined;
  if (last === undefined) return { ok: false, code: 'NotFound', message: `${write.key} not found` };
  return { ok: true, value: { ...last, modRevision: revision } };
}

/** What a failed compare means, from the key as read in the same transaction. */
function failedCompare(ctx: WriteContext, write: StoreWrite, current: IKeyValue | undefined): StoreResult<KeyValue> {
  const live = current ? toKeyValue(ctx.layout, ctx.base, current) : undefined;
  if (live === undefined) return { ok: false, code: 'NotFound', message: `${write.key} not found` };
  // etcd3 retries a call that failed on the way back; if the first attempt committed, the key now
  // holds exactly our value, written after we sent it: that is our write, not somebody else's.
  const ours = write.kind !== 'delete' && live.value === write.value && live.modRevision > ctx.revisionAtSend;
  if (write.kind === 'create') {
    if (ours && live.createRevision === live.modRevision) return { ok: true, value: live };
    return { ok: false, code: 'AlreadyExists', message: `${write.key} already exists` };
  }
  if (ours) return { ok: true, value: live };
  return {
    ok: false,
    code: 'Conflict',
    message: `${write.key} has modRevision ${live.modRevision}, expected ${write.expectedModRevision ?? 'any'}`,
  };
}
