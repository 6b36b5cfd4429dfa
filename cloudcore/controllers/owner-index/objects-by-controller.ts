import type { KubeObject, OwnerReference } from '../../../shared/k8s/types.js';
import type { InformerEvent } from '../../informers/index.js';

/** The object's controller: the ownerReference with `controller: true`, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** The uid of the object's controller, if any. */
export function controllerUidOf(obj: KubeObject): string | undefined {
  const ref = controllerRefOf(obj);
  return ref === undefined || ref.uid === '' ? undefined : ref.uid;
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/**
 * An index of an informer's objects by their controller's uid (pods by Job, Jobs by CronJob), kept
 * by the informer's handler, so a reconcile finds its dependents without scanning every object.
 */
export class ObjectsByController {
  private readonly byOwner = new Map<string, Map<string, KubeObject>>();

  /** Applies one informer event; returns the controller uids the event touched (before and after). */
  apply(event: InformerEvent): string[] {
    const touched = new Set<string>();
    const before = event.previous === undefined ? undefined : controllerUidOf(event.previous);
    if (before !== undefined) {
      touched.add(before);
      this.remove(before, keyOf(event.previous as KubeObject));
    }
    const after = controllerUidOf(event.object);
    if (after !== undefined) {
      touched.add(after);
      if (event.type === 'DELETED') this.remove(after, keyOf(event.object));
      else this.add(after, event.object);
    }
    return [...touched];
  }

  /** The objects controlled by `ownerUid` (a snapshot). */
  of(ownerUid: string): KubeObject[] {
    return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
  }

  private add(owner: string, obj: KubeObject): void {
    let objects = this.byOwner.get(owner);
    if (objects === undefined) this.byOwner.set(owner, (objects = new Map()));
    objects.set(keyOf(obj), obj);
  }

  private remove(owner: string, key: string): void {
    const objects = this.byOwner.get(owner);
    if (objects === undefined) return;
    objects.delete(key);
    if (objects.size === 0) this.byOwner.delete(owner);
  }
}
