import type { Logger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { matchesLabels, type LabelSelector } from '../../../shared/k8s/selectors/index.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { PreconditionFailed, updateObject, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { controllerRefTo } from './pod-from-template.js';
import { controllerRefOf } from '../owner-index/index.js';

/**
 * The pods a ReplicaSet owns after adopting and releasing (Kubernetes' PodControllerRefManager):
 * its own pods that still match; orphans that match are adopted; its pods that stopped matching
 * are released (their controller reference removed). A ReplicaSet being deleted adopts nothing
 * and releases nothing. Pods controlled by anything else are never touched.
 */
export async function claimPods(ctx: ApiContext, podsDef: ResourceDefinition, rs: KubeObject, selector: LabelSelector, pods: readonly KubeObject[], logger: Logger): Promise<KubeObject[]> {
  const uid = rs.metadata.uid ?? '';
  const deleting = rs.metadata.deletionTimestamp !== undefined;
  const claimed: KubeObject[] = [];
  for (const pod of pods) {
    const owner = controllerRefOf(pod);
    const matches = matchesLabels(selector, pod.metadata.labels);
    if (owner !== undefined) {
      if (owner.uid !== uid) continue;
      if (matches || deleting) {
        claimed.push(pod);
        continue;
      }
      await rewriteOwners(ctx, podsDef, pod, (refs) => refs.filter((ref) => ref.uid !== uid), logger);
      continue;
    }
    if (!matches || deleting || pod.metadata.deletionTimestamp !== undefined) continue;
    const adopted = await rewriteOwners(ctx, podsDef, pod, (refs) => (refs.some((r) => r.controller === true) ? undefined : [...refs, controllerRefTo(rs)]), logger);
    if (adopted !== undefined) claimed.push(adopted);
  }
  return claimed;
}

/**
 * Rewrites a pod's owner references against the pod's uid; `change` returning undefined means
 * "no longer applies" (someone else adopted it first). A pod gone meanwhile is simply skipped.
 */
async function rewriteOwners(
  ctx: ApiContext,
  podsDef: ResourceDefinition,
  pod: KubeObject,
  change: (refs: NonNullable<KubeObject['metadata']['ownerReferences']>) => KubeObject['metadata']['ownerReferences'] | undefined,
  logger: Logger,
): Promise<KubeObject | undefined> {
  let skipped = false;
  try {
    const written = await updateObject(ctx, podsDef, {
      namespace: pod.metadata.namespace,
      name: pod.metadata.name ?? '',
      subresource: undefined,
      dryRun: false,
      mutate: (current) => {
        const next = change(current.metadata.ownerReferences ?? []);
        if (next === undefined) {
          skipped = true;
          return current;
        }
        if (next.length === 0) delete current.metadata.ownerReferences;
        else current.metadata.ownerReferences = next;
        current.metadata.uid = pod.metadata.uid;
        delete current.metadata.resourceVersion;
        return current;
      },
    });
    return skipped ? undefined : written;
  } catch (err) {
    if (isNotFound(err) || err instanceof PreconditionFailed) {
      logger.debug({ pod: pod.metadata.name }, 'pod went away before its owners could be rewritten');
      return undefined;
    }
    throw err;
  }
}
