import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { KeyValue, Store } from '../storage/index.js';

export interface CopyOptions {
  /** Empty a target that holds keys first; without it a non-empty target is refused. */
  force: boolean;
  /** Keys read per page from the source (docs/datastore.md § Moving a cluster from SQLite to etcd). */
  pageSize?: number;
  /** Creates in flight on the target, so its group commit (or etcd's batching) is used. */
  concurrency?: number;
  onProgress?: (copied: number) => void;
}

export interface CopySummary {
  /** Live keys copied, every prefix (API objects and the hub's own keys such as /outpost/…). */
  keys: number;
  /** Keys the target held and --force removed first. */
  removed: number;
  /** The source's revision the copy was read at. */
  sourceRevision: number;
  /** The target's revision after the copy; history below it is compacted, so old resourceVersions get 410. */
  targetRevision: number;
}

const ALL_KEYS = '';
const DEFAULT_PAGE = 500;
const DEFAULT_CONCURRENCY = 32;

/**
 * Copies every live key of `source` into `target` through the Store interface: the source is read
 * page by page at one fixed revision (a consistent cut), each key is created on the target, then
 * the target is read back and compared key by key and value by value. Revisions are the target's
 * own, so every resourceVersion changes; the target is compacted at the end so a client resuming
 * from an old one is told 410 Gone and relists. Expected failures are returned.
 */
export async function copyStore(source: Store, target: Store, options: CopyOptions): Promise<Result<CopySummary>> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;

  const existing = await target.count(ALL_KEYS);
  if (existing > 0 && !options.force) {
    return fail('AlreadyExists', `the target datastore already holds ${existing} keys: refusing to mix clusters (use --force to empty it first)`);
  }
  const removed = existing > 0 ? await emptyStore(target, pageSize) : ok(0);
  if (!removed.ok) return removed;

  const expected = new Map<string, string>();
  const sourceRevision = source.currentRevision();
  let startAfter: string | undefined;
  for (;;) {
    const page = await source.list(ALL_KEYS, { revision: sourceRevision, limit: pageSize, ...(startAfter === undefined ? {} : { startAfter }) });
    if (!page.ok) return fail('Unavailable', `reading the source at revision ${sourceRevision}: ${page.message}`);
    const written = await createAll(target, page.value.items, concurrency);
    if (!written.ok) return written;
    for (const kv of page.value.items) expected.set(kv.key, digest(kv.value));
    options.onProgress?.(expected.size);
    const last = page.value.items.at(-1);
    if (!page.value.more || last === undefined) break;
    startAfter = last.key;
  }

  const verified = await verifyTarget(target, expected, pageSize);
  if (!verified.ok) return verified;
  const targetRevision = target.currentRevision();
  await target.compact(targetRevision);
  return ok({ keys: expected.size, removed: removed.value, sourceRevision, targetRevision });
}

async function createAll(target: Store, items: readonly KeyValue[], concurrency: number): Promise<Result<void>> {
  let next = 0;
  let failure: Result<void> | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const kv = items[next++];
      if (kv === undefined) continue;
      const created = await target.create(kv.key, kv.value);
      if (!created.ok) failure = fail(created.code === 'AlreadyExists' ? 'Conflict' : 'Unavailable', `writing ${kv.key} to the target: ${created.message}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return failure ?? ok(undefined);
}

async function emptyStore(target: Store, pageSize: number): Promise<Result<number>> {
  let removed = 0;
  for (;;) {
    const page = await target.list(ALL_KEYS, { limit: pageSize });
    if (!page.ok) return fail('Unavailable', `listing the target to empty it: ${page.message}`);
    if (page.value.items.length === 0) return ok(removed);
    for (const kv of page.value.items) {
      const deleted = await target.delete(kv.key);
      if (!deleted.ok && deleted.code !== 'NotFound') return fail('Unavailable', `emptying the target: ${kv.key}: ${deleted.message}`);
      removed++;
    }
  }
}

/** Every copied key is on the target with the same bytes, and the target holds nothing else. */
async function verifyTarget(target: Store, expected: ReadonlyMap<string, string>, pageSize: number): Promise<Result<void>> {
  const revision = target.currentRevision();
  let seen = 0;
  let startAfter: string | undefined;
  for (;;) {
    const page = await target.list(ALL_KEYS, { revision, limit: pageSize, ...(startAfter === undefined ? {} : { startAfter }) });
    if (!page.ok) return fail('Unavailable', `reading the target back: ${page.message}`);
    for (const kv of page.value.items) {
      const want = expected.get(kv.key);
      if (want === undefined) return fail('Conflict', `verification: the target holds ${kv.key}, which the source does not`);
      if (want !== digest(kv.value)) return fail('Conflict', `verification: ${kv.key} differs between source and target`);
      seen++;
    }
    const last = page.value.items.at(-1);
    if (!page.value.more || last === undefined) break;
    startAfter = last.key;
  }
  if (seen !== expected.size) return fail('Conflict', `verification: the target holds ${seen} keys, the source ${expected.size}`);
  return ok(undefined);
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64');
}
