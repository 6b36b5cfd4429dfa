import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { deleteObject, PreconditionFailed, updateObject, type ApiContext, type ResourceKey } from '../apiserver/index.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import type { InformerEvent, SharedInformer, SharedInformerFactory } from '../informers/index.js';
import { isNotFound } from '../../shared/apimachinery/errors/index.js';

interface Ref {
  def: ResourceDefinition;
  namespace: string | undefined;
  name: string;
  uid: string;
  owners: string[];
}

/**
 * Deletes dependents whose owners are gone (Background), and carries out Foreground and Orphan
 * deletion, as Kubernetes' garbage collector does. Like Kubernetes' GC (which follows every
 * resource through metadata informers) it follows every listable resource of the registry through
 * the process's shared informers, CRD kinds included as they are added, and keeps an owner-uid →
 * dependents index in memory.
 */
export function createGarbageCollector(ctx: ApiContext, informers: SharedInformerFactory, logger: Logger): Module {
  const byUid = new Map<string, Ref>();
  const dependents = new Map<string, Set<string>>();
  const followed = new Map<string, SharedInformer>();
  const unsubscribe: (() => void)[] = [];
  let queue = Promise.resolve();
  // Until every followed kind has listed once, an owner missing from the index may simply not be
  // listed yet: no deletion is decided before then (the start pass catches up).
  let ready = false;

  /** The definition of a stored object's resource, as the registry has it now. */
  const defFor = (resource: ResourceKey): ResourceDefinition | undefined =>
    ctx.registry.all().find((d) => d.group === resource.group && d.resource === resource.resource && d.storedAs === undefined);

  const index = (resource: ResourceKey, obj: KubeObject): void => {
    const def = defFor(resource);
    const uid = obj.metadata.uid;
    if (def === undefined || uid === undefined) return;
    forget(uid);
    const owners = (obj.metadata.ownerReferences ?? []).map((o) => o.uid);
    byUid.set(uid, { def, namespace: def.namespaced ? obj.metadata.namespace : undefined, name: obj.metadata.name ?? '', uid, owners });
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
        // Gone already, or re-created under the same name (a new object, not this dependent).
        if (err instanceof PreconditionFailed || isNotFound(err)) return;
        throw err;
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
        if (!isNotFound(err)) throw err;
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

  const onDeleted = (obj: KubeObject): void => {
    const uid = obj.metadata.uid;
    if (uid === undefined) return;
    const owner = byUid.get(uid);
    forget(uid);
    if (!ready) return;
    enqueue(() => deleteDependents(uid, 'Background'));
    // An owner waiting in foreground deletion may now be free to go.
    for (const o of owner?.owners ?? []) {
      const parent = byUid.get(o);
      if (parent !== undefined) enqueue(async () => {
        const current = await ctx.objects.get(parent.def, parent.namespace, parent.name);
        if (current !== undefined) reconcileDeletion(current);
      });
    }
  };

  const onEvent = (resource: ResourceKey, event: InformerEvent): void => {
    if (event.type === 'DELETED') return onDeleted(event.object);
    index(resource, event.object);
    if (ready) reconcileDeletion(event.object);
  };

  /** Follows one more resource: its informer's events from now on, and what it already holds. */
  const follow = (def: ResourceDefinition): void => {
    const resource = { group: def.group, resource: def.resource, namespaced: def.namespaced };
    const key = `${def.group}/${def.resource}`;
    if (followed.has(key) || def.storedAs !== undefined || !def.verbs.includes('list') || !def.verbs.includes('watch')) return;
    const informer = informers.informerFor(resource);
    followed.set(key, informer);
    unsubscribe.push(informer.addHandler((event) => onEvent(resource, event)));
    for (const obj of informer.list()) {
      index(resource, obj);
      if (ready) reconcileDeletion(obj);
    }
  };
  const followAll = (): void => {
    for (const def of ctx.registry.all()) follow(def);
  };

  return {
    name: 'garbage-collector',
    async start() {
      unsubscribe.push(ctx.registry.onChange(followAll));
      followAll();
      // Every followed kind listed, including kinds a CRD added while we waited.
      for (let count = -1; count !== followed.size; ) {
        count = followed.size;
        await Promise.all([...followed.values()].map((informer) => informer.synced));
      }
      ready = true;
      const live = new Set(byUid.keys());
      // Owners that vanished while we were not running: collect their dependents now.
      for (const owner of [...dependents.keys()]) if (!live.has(owner)) enqueue(() => deleteDependents(owner, 'Background'));
      for (const informer of followed.values()) for (const obj of informer.list()) reconcileDeletion(obj);
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
      await queue;
    },
  };
}
