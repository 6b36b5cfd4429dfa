import { Etcd3, type IOptions } from 'etcd3';
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import { DEFAULT_COMPACTION_INTERVAL_MS, DEFAULT_KEEP_REVISIONS } from '../auto-compaction.js';
import type { EtcdLayout } from './etcd-layout.js';
import { etcdRevision, readFailure } from './etcd-values.js';

/** etcd 3.4 never shrinks its file by itself; defragmenting blocks a member, so it is rare. */
export const DEFAULT_DEFRAG_INTERVAL_MS = 60 * 60_000;

/**
 * Compacts etcd's history at `etcdRev` and waits until it is physically done. A revision already
 * compacted (by another cloudcore or etcdctl) is success: the history is gone either way.
 */
export async function compactEtcd(client: Etcd3, etcdRev: number): Promise<void> {
  try {
    await client.kv.compact({ revision: etcdRev, physical: true });
  } catch (err) {
    if (readFailure(err) !== 'Compacted') throw err;
  }
}

/**
 * The revision etcd's history starts at: etcd does not say, so a binary search over ranges at
 * past revisions finds the first one that is not compacted (about 20 reads for a million
 * revisions, once at start). Returns an etcd revision.
 */
export async function findCompactedEtcdRevision(client: Etcd3, key: Buffer, low: number, high: number): Promise<number> {
  const readable = async (revision: number): Promise<boolean> => {
    try {
      await client.kv.range({ key, revision, count_only: true });
      return true;
    } catch (err) {
      if (readFailure(err) === 'Compacted') return false;
      throw err;
    }
  };
  if (high <= low || (await readable(low))) return low;
  let bad = low; // compacted
  let good = high; // readable: the newest revision always is
  while (good - bad > 1) {
    const mid = Math.floor((bad + good) / 2);
    if (await readable(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

export interface EtcdCompactionOptions {
  intervalMs?: number;
  keepRevisions?: number;
  defragIntervalMs?: number;
}

export interface CompactorContext {
  client: Etcd3;
  layout: EtcdLayout;
  base: number;
  logger: Logger;
  /** The client options, to reach each member alone for defragmentation. */
  clientOptions: IOptions;
  endpoints: string[];
  /** The store's current revision (store numbering). */
  currentRevision: () => number;
  /** Told the store revision compacted to. */
  compacted: (storeRevision: number) => void;
}

/**
 * Compaction as kube-apiserver does it on etcd (docs/datastore.md § Compaction): every interval,
 * whichever cloudcore first swaps the compaction key (a compare on its version) compacts to
 * current - keep; the others see the key moved and skip that window. Defragments every member
 * at most once per defrag interval, after a compaction. Returns the function that stops it.
 */
export function startEtcdAutoCompaction(ctx: CompactorContext, options: EtcdCompactionOptions): () => Promise<void> {
  const intervalMs = options.intervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
  const keep = options.keepRevisions ?? DEFAULT_KEEP_REVISIONS;
  const defragEvery = options.defragIntervalMs ?? DEFAULT_DEFRAG_INTERVAL_MS;
  let lastDefrag = Date.now();
  let inFlight: Promise<void> | undefined;
  const tick = async (): Promise<void> => {
    const target = ctx.currentRevision() - keep;
    if (target <= 0) return;
    const won = await claimWindow(ctx, target + ctx.base);
    if (!won) return;
    await compactEtcd(ctx.client, target + ctx.base);
    ctx.compacted(target);
    ctx.logger.info({ revision: target }, 'etcd compacted');
    if (Date.now() - lastDefrag >= defragEvery) {
      lastDefrag = Date.now();
      await defragmentMembers(ctx);
    }
  };
  const timer = setInterval(() => {
    if (inFlight !== undefined) return;
    inFlight = tick()
      .catch((err: unknown) => ctx.logger.error({ err: errorMessage(err) }, 'etcd compaction failed'))
      .finally(() => {
        inFlight = undefined;
      });
  }, intervalMs);
  timer.unref();
  // Stopping waits for a round in flight, so the client is not closed under it.
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}

/** Swaps the compaction key to `etcdRev` if nobody moved it since we read it; true when we did. */
export async function claimWindow(ctx: CompactorContext, etcdRev: number): Promise<boolean> {
  const key = Buffer.from(ctx.layout.compactKey, 'utf8');
  const current = await ctx.client.kv.range({ key });
  const kv = current.kvs[0];
  const version = kv ? kv.version : '0';
  if (kv && etcdRevision(kv.value.toString('utf8')) >= etcdRev) return false;
  const swapped = await ctx.client.kv.txn({
    compare: [{ key, target: 'Version', result: 'Equal', version }],
    success: [{ request_put: { key, value: Buffer.from(String(etcdRev), 'utf8') } }],
  });
  return swapped.succeeded;
}

async function defragmentMembers(ctx: CompactorContext): Promise<void> {
  for (const endpoint of ctx.endpoints) {
    const member = new Etcd3({ ...ctx.clientOptions, hosts: [endpoint] });
    try {
      await member.maintenance.defragment();
      ctx.logger.info({ endpoint }, 'etcd member defragmented');
    } catch (err) {
      ctx.logger.warn({ endpoint, err: errorMessage(err) }, 'etcd defragmentation failed');
    } finally {
      member.close();
    }
  }
}
