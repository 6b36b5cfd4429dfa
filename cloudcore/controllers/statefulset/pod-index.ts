import type { KubeObject } from '../../../shared/k8s/types.js';
import { controllerRefOf } from '../owner-index/index.js';

/** The StatefulSet that controls a pod, by its controlling owner reference. */
export function controllerOf(pod: KubeObject): { uid: string; key: string } | undefined {
  const ref = controllerRefOf(pod);
  return ref === undefined || ref.kind !== 'StatefulSet' || !ref.apiVersion.startsWith('apps/') ? undefined : { uid: ref.uid, key: `${pod.metadata.namespace ?? ''}/${ref.name}` };
}

const hasController = (pod: KubeObject): boolean => controllerRefOf(pod) !== undefined;

/** `ns/<set>` for a pod named `<set>-<ordinal>`: the only set that may adopt it. */
function parentKeyOf(pod: KubeObject): string | undefined {
  const match = /^(.*)-\d+$/.exec(pod.metadata.name ?? '');
  return match?.[1] === undefined ? undefined : `${pod.metadata.namespace ?? ''}/${match[1]}`;
}

/**
 * Pods by the StatefulSet that controls them (by uid), and pods without any controller by the set
 * their name would belong to (candidates for adoption), kept up to date from the pod informer.
 */
export class StatefulSetPodIndex {
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly orphansByParent = new Map<string, Set<string>>();

  /** Records a pod's latest state (or its removal) and returns the keys of the sets it concerns. */
  update(pod: KubeObject, previous: KubeObject | undefined, present: boolean): string[] {
    const touched: string[] = [];
    if (previous !== undefined) this.forget(previous);
    const podKey = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const owner = controllerOf(pod);
    const parent = owner === undefined && !hasController(pod) ? parentKeyOf(pod) : undefined;
    if (!present) this.forget(pod);
    else if (owner !== undefined) add(this.byOwner, owner.uid, podKey);
    else if (parent !== undefined) add(this.orphansByParent, parent, podKey);
    if (owner !== undefined) touched.push(owner.key);
    if (parent !== undefined) touched.push(parent);
    const before = previous === undefined ? undefined : controllerOf(previous);
    if (before !== undefined && before.key !== owner?.key) touched.push(before.key);
    return touched;
  }

  /** Keys (`ns/name`) of the pods the set with this uid controls. */
  owned(uid: string): Iterable<string> {
    return this.byOwner.get(uid) ?? [];
  }

  /** Keys of pods without a controller that are named after the set `ns/name`. */
  orphansOf(setKey: string): Iterable<string> {
    return this.orphansByParent.get(setKey) ?? [];
  }

  private forget(pod: KubeObject): void {
    const podKey = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const owner = controllerOf(pod);
    if (owner !== undefined) remove(this.byOwner, owner.uid, podKey);
    const parent = parentKeyOf(pod);
    if (parent !== undefined) remove(this.orphansByParent, parent, podKey);
  }
}

function add(index: Map<string, Set<string>>, key: string, value: string): void {
  const values = index.get(key) ?? new Set<string>();
  values.add(value);
  index.set(key, values);
}

function remove(index: Map<string, Set<string>>, key: string, value: string): void {
  const values = index.get(key);
  if (values === undefined) return;
  values.delete(value);
  if (values.size === 0) index.delete(key);
}
