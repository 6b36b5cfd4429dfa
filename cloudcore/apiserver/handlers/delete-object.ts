import type { KubeObject } from '../../../shared/k8s/types.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceDefinition } from '../kinds/types.js';
import { revisionOf } from '../registry/object-store.js';
import type { ApiContext } from './context.js';
import { timestamp } from './decode-object.js';
import type { DeleteOptions } from './delete-options.js';
import { preconditionFailed } from './precondition-failed.js';
import { cloneJson } from '../../../shared/json/index.js';

export interface DeleteOutcome {
  /** True when the object is gone; false when deletion is pending (grace period, finalizers). */
  deleted: boolean;
  object: KubeObject;
}

const NODES = { group: '', resource: 'nodes', namespaced: false };
const MAX_ATTEMPTS = 8;

/**
 * Deletion as the apiserver does it: preconditions, propagation finalizers, graceful deletion of
 * pods running on a node (the node's agent finishes it), finalizers holding the object with a
 * deletionTimestamp, and otherwise immediate removal.
 */
export async function deleteObject(
  ctx: ApiContext,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
): Promise<DeleteOutcome> {
  const target = { group: def.group, resource: def.resource, name };
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.objects.get(def, namespace, name);
    if (current === undefined) throw errors.notFound(target);
    checkPreconditions(target, current, options);
    const next = cloneJson(current);
    const finalizers = new Set(next.metadata.finalizers ?? []);
    if (options.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan') finalizers.add('orphan');
    const grace = await gracePeriod(ctx, def, current, options);
    const alreadyDeleting = current.metadata.deletionTimestamp !== undefined;
    const namespacePending = isNamespace(def) && namespaceNeedsFinalizing(target, next);
    if (finalizers.size === 0 && grace === 0 && !namespacePending) {
      if (options.dryRun) return { deleted: true, object: current };
      const res = await ctx.objects.delete(def, namespace, name, revisionOf(current));
      if (res.ok) return { deleted: true, object: res.value };
      if (res.code === 'NotFound') throw errors.notFound(target);
      if (res.code === 'Conflict' && attempt < MAX_ATTEMPTS) continue;
      throw errors.hiddenInternal(res.message);
    }
    if (finalizers.size > 0) next.metadata.finalizers = [...finalizers];
    const now = ctx.now();
    const newDeadline = new Date(now.getTime() + grace * 1000);
    // A second delete may shorten the grace period, never lengthen it.
    if (!alreadyDeleting || (current.metadata.deletionGracePeriodSeconds ?? 0) > grace) {
      next.metadata.deletionTimestamp = timestamp(newDeadline);
      next.metadata.deletionGracePeriodSeconds = grace;
    }
    if (options.dryRun) return { deleted: false, object: next };
    const res = await ctx.objects.update(def, next, revisionOf(current));
    if (res.ok) return { deleted: false, object: res.value };
    if (res.code === 'TooLarge') throw errors.tooLarge(); // docs/limits.md § API, "Object size"
    if (res.code === 'NotFound') throw errors.notFound(target);
    if (res.code === 'Conflict' && attempt < MAX_ATTEMPTS) continue;
    throw errors.hiddenInternal(res.message);
  }
}

function isNamespace(def: ResourceDefinition): boolean {
  return def.group === '' && def.resource === 'namespaces';
}

/** Namespaces every cluster relies on, which Kubernetes refuses to delete. */
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/**
 * A namespace is emptied by the namespace controller before it goes: while `spec.finalizers`
 * holds "kubernetes" it stays, Terminating, and takes no new content.
 */
function namespaceNeedsFinalizing(target: { group: string; resource: string; name: string }, ns: KubeObject): boolean {
  if (UNDELETABLE_NAMESPACES.has(target.name)) throw errors.forbiddenMessage(`namespaces "${target.name}" is forbidden: this namespace may not be deleted`, target);
  const finalizers = ((ns.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];
  if (finalizers.length === 0) return false;
  ns.status = { ...((ns.status ?? {}) as Record<string, unknown>), phase: 'Terminating' };
  return true;
}

function checkPreconditions(target: { group: string; resource: string; name: string }, obj: KubeObject, options: DeleteOptions): void {
  if (options.preconditionUid !== undefined && options.preconditionUid !== obj.metadata.uid) {
    throw preconditionFailed(target, `UID in precondition: ${options.preconditionUid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
  }
  if (options.preconditionResourceVersion !== undefined && options.preconditionResourceVersion !== obj.metadata.resourceVersion) {
    throw preconditionFailed(target, `ResourceVersion in precondition: ${options.preconditionResourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`);
  }
}

/**
 * Only a pod bound to a node that exists and still runs gets a grace period: that node's agent
 * stops the containers and removes the pod. A pod with no node, a finished pod, and a pod on a
 * node that does not exist go at once (the last as Kubernetes' pod GC does).
 */
async function gracePeriod(ctx: ApiContext, def: ResourceDefinition, obj: KubeObject, options: DeleteOptions): Promise<number> {
  if (def.group !== '' || def.resource !== 'pods') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = ((obj.status ?? {}) as { phase?: string }).phase;
  if (spec.nodeName === undefined || spec.nodeName === '' || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  if (grace === 0) return 0;
  const node = await ctx.objects.get(NODES, undefined, spec.nodeName);
  return node === undefined ? 0 : grace;
}
