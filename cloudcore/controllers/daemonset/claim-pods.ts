import type { KubeObject } from '../../../shared/k8s/types.js';
import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';
import { asObj } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { PreconditionFailed, updateObject, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { DaemonPodIndex } from './daemon-pod-index.js';
import { controllerRefOf } from '../owner-index/index.js';

/**
 * Kubernetes' ControllerRef claim for a DaemonSet's pods (docs/daemonsets.md § Adoption): a pod
 * of its namespace that matches the selector and has no controller is adopted (an owner reference
 * with controller: true); an owned pod whose labels stopped matching is released (the reference
 * removed), and the DaemonSet then makes a new pod for that node. Each write names the pod's uid,
 * so a pod re-created under the same name is never touched.
 */
export async function claimPods(
  ctx: ApiContext,
  podsDef: ResourceDefinition,
  ds: KubeObject,
  namespacePods: Iterable<KubeObject>,
  index: DaemonPodIndex,
): Promise<void> {
  const uid = ds.metadata.uid ?? '';
  const selector = labelSelectorFromObject(asObj(ds.spec)?.selector);
  // An unreadable selector claims nothing and releases nothing.
  if (!selector.ok || uid === '') return;
  const matches = (pod: KubeObject): boolean => matchesLabels(selector.value, pod.metadata.labels ?? {});
  const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name ?? '', uid, controller: true, blockOwnerDeletion: true };

  const rewrite = async (pod: KubeObject, change: (refs: NonNullable<KubeObject['metadata']['ownerReferences']>) => KubeObject['metadata']['ownerReferences'] | undefined): Promise<void> => {
    try {
      const updated = await updateObject(ctx, podsDef, {
        namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', subresource: undefined, dryRun: false,
        mutate: (current) => {
          const refs = change(current.metadata.ownerReferences ?? []);
          if (refs === undefined) return current;
          return { ...current, metadata: { ...current.metadata, uid: pod.metadata.uid, resourceVersion: '', ownerReferences: refs } };
        },
      });
      index.put(updated);
    } catch (err) {
      // Gone, or another pod under the same name now: nothing to claim or release.
      if (!isNotFound(err) && !(err instanceof PreconditionFailed)) throw err;
    }
  };

  for (const pod of index.podsOf(uid)) {
    if (pod.metadata.deletionTimestamp !== undefined || matches(pod)) continue;
    await rewrite(pod, (refs) => (refs.some((r) => r.uid === uid) ? refs.filter((r) => r.uid !== uid) : undefined));
  }
  for (const pod of namespacePods) {
    if (pod.metadata.deletionTimestamp !== undefined || !matches(pod)) continue;
    if (controllerRefOf(pod) !== undefined) continue;
    await rewrite(pod, (refs) => (refs.some((r) => r.controller === true) ? undefined : [...refs, owner]));
  }
}
