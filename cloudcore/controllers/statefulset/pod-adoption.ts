import type { KubeObject } from '../../../shared/k8s/types.js';
import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';
import { asObj } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { PreconditionFailed, updateObject, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { controllerRefOf } from '../owner-index/index.js';

/**
 * Whether the set may adopt this pod, as ClaimPods decides: it has no controller, is not being
 * deleted, and matches the set's selector (its name already names the set: pod-index.ts).
 */
export function mayAdopt(set: KubeObject, pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  if (controllerRefOf(pod) !== undefined) return false;
  const selector = labelSelectorFromObject(asObj(set.spec)?.selector);
  return selector.ok && matchesLabels(selector.value, pod.metadata.labels);
}

/**
 * Makes the set the pod's controller (docs/statefulsets.md § Adoption), e.g. after the set was
 * deleted with --cascade=orphan and applied again. The write names the pod's uid, so a pod
 * re-created meanwhile is not adopted by mistake; a pod gone or claimed meanwhile is left alone.
 */
export async function adoptPod(ctx: ApiContext, podsDef: ResourceDefinition, set: KubeObject, pod: KubeObject): Promise<boolean> {
  try {
    let adopted = false;
    await updateObject(ctx, podsDef, {
      namespace: pod.metadata.namespace,
      name: pod.metadata.name ?? '',
      subresource: undefined,
      dryRun: false,
      mutate: (latest) => {
        if (latest.metadata.uid !== pod.metadata.uid || !mayAdopt(set, latest)) return latest;
        const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
        latest.metadata.ownerReferences = [...(latest.metadata.ownerReferences ?? []), ref];
        adopted = true;
        return latest;
      },
    });
    return adopted;
  } catch (err) {
    if (isNotFound(err) || err instanceof PreconditionFailed) return false;
    throw err;
  }
}
