import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { deleteObject, updateObject, type ApiContext } from '../apiserver/index.js';
import { decode } from '../apiserver/registry/object-store.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';

interface Ref {
  def: ResourceDefinition;
  namespace: string | undefined;
  name: string;
  uid: string;
  owners: string[];
}

/**
 * Deletes dependents whose owners are gone (Background), and carries out Foreground and Orphan
 * deletion, as Kubernetes' garbage collector does. It follows every resource through one watch on
 * the whole registry and keeps an owner-uid → dependents index in memory.
 */
export function createGarbageCollector(ctx: ApiContext, logger: Logger): Module {
  const abort = new AbortController();
  const byUid = new Map<string, Ref>();
  const dependents = new Map<string, Set<string>>();
  let queue = Promise.resolve();

  const defForKey = (key: string): { def: ResourceDefinition; namespace: string | undefined; name: string } | undefined => {
    const parts = key.split('/'); // ['', 'registry', group, resource, ns?, name]
    const group = parts[2] === 'core' ? '' : (parts[2] ?? '');
    const def = ctx.registry.all().find((d) => d.group === group && d.resource === parts[3]);
    if (def === undefined) return undefined;
    return def.namespaced ? { def, namespace: parts[4], name: parts[5] ?? '' } : { def, namespace: undefined, name: parts[4] ?? '' };
  };

  const index = (key: string, obj: KubeObject): void => {
    const located = defForKey(key);
    const uid = obj.metadata.uid;
    if (located === undefined || uid === undefined) return;
    forget(uid);
    const owners = (obj.metadata.ownerReferences ?? []).map((o) => o.uid);
    byUid.set(uid, { ...located, uid, owners });
    for (const owner of owners) {
      if (!dependents.has(owner)) dependents.set(owner, new Set());
      dependents.get(owner)?.add(uid);
    }
  };

  const forget = (uid: string): void => {
    const ref = byUid.get(uid);
    if (ref === undefined) return;
    for (const owner of ref.owners) dependents.get(owner)?.delete(uid);
    byUid.delete(uid);
  };

  const enqueue = (work: () => Promise<void>): void => {
    queue = queue.then(work).catch((err: unknown) => logger.warn({ err }, 'garbage collection step failed'));
  };

  const deleteDependents = async (ownerUid: string, policy: 'Background' | 'Foreground'): Promise<void> => {
    for (const uid of [...(dependents.get(ownerUid) ?? [])]) {
      const ref = byUid.get(uid);
      if (ref === undefined) continue;
      // A dependent that still has a live owner stays.
      if (ref.owners.some((o) => o !== ownerUid && byUid.has(o))) continue;
      await deleteObject(ctx, ref.def, ref.namespace, ref.name, {
        gracePeriodSeconds: undefined, preconditionUid: uid, preconditionResourceVersion: undefined, propagationPolicy: policy, dryRun: false,
      }).catch((err: unknown) => {
        const code = (err as { code?: number }).code;
        if (code !== 404 && code !== 409) throw err;
      });
    }
  };

  const removeFinalizer = async (ref: Ref, finalizer: string): Promise<void> => {
    await updateObject(ctx, ref.def, {
      namespace: ref.namespace, name: ref.name, subresource: undefined, dryRun: false,
      mutate: (current) => {
        current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        delete current.metadata.resourceVersion;
        return current;
      },
    });
  };

  const orphanDependents = async (ownerUid: string): Promise<void> => {
    for (const uid of [...(dependents.get(ownerUid) ?? [])]) {
      const ref = byUid.get(uid);
      if (ref === undefined) continue;
      await updateObject(ctx, ref.def, {
        namespace: ref.namespace, name: ref.name, subresource: undefined, dryRun: false,
        mutate: (current) => {
          const kept = (current.metadata.ownerReferences ?? []).filter((o) => o.uid !== ownerUid);
          if (kept.length === 0) delete current.metadata.ownerReferences;
          else current.metadata.ownerReferences = kept;
          delete current.metadata.resourceVersion;
          return current;
        },
      }).catch((err: unknown) => {
        if ((err as { code?: number }).code !== 404) throw err;
      });
    }
  };

  const reconcileDeletion = (obj: KubeObject): void => {
    const uid = obj.metadata.uid;
    if (uid === undefined || obj.metadata.deletionTimestamp === undefined) return;
    const finalizers = obj.metadata.finalizers ?? [];
    const ref = byUid.get(uid);
    if (ref === undefined) return;
    if (finalizers.includes('orphan')) {
      enqueue(async () => {
        await orphanDependents(uid);
        await removeFinalizer(ref, 'orphan');
      });
    } else if (finalizers.includes('foregroundDeletion')) {
      enqueue(async () => {
        if ((dependents.get(uid)?.size ?? 0) === 0) await removeFinalizer(ref, 'foregroundDeletion');
        else await deleteDependents(uid, 'Foreground');
      });
    }
  };

  return {
    name: 'garbage-collector',
    async start() {
      const listed = await ctx.objects.store.list('/registry/');
      if (!listed.ok) throw new Error(listed.message);
      for (const kv of listed.value.items) index(kv.key, decode(kv));
      const live = new Set(byUid.keys());
      // Owners that vanished while we were not running: collect their dependents now.
      for (const owner of [...dependents.keys()]) if (!live.has(owner)) enqueue(() => deleteDependents(owner, 'Background'));
      for (const kv of listed.value.items) reconcileDeletion(decode(kv));
      const started = ctx.objects.store.watch('/registry/', {
        fromRevision: listed.value.revision,
        signal: abort.signal,
        onEvents: (events) => {
          for (const event of events) {
            const obj = decode(event.kv);
            const uid = obj.metadata.uid;
            if (event.type === 'delete') {
              if (uid === undefined) continue;
              const owner = byUid.get(uid);
              forget(uid);
              enqueue(() => deleteDependents(uid, 'Background'));
              // An owner waiting in foreground deletion may now be free to go.
              for (const o of owner?.owners ?? []) {
                const parent = byUid.get(o);
                if (parent !== undefined) enqueue(async () => {
                  const current = await ctx.objects.get(parent.def, parent.namespace, parent.name);
                  if (current !== undefined) reconcileDeletion(current);
                });
              }
              continue;
            }
            index(event.kv.key, obj);
            reconcileDeletion(obj);
          }
        },
      });
      if (!started.ok) throw new Error(started.message);
    },
    async stop() {
      abort.abort();
      await queue;
    },
  };
}
