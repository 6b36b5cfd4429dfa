import type { KubeObject } from '../../../shared/k8s/types.js';
import { matchesLabels, type LabelSelector } from '../../../shared/k8s/selectors/index.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { PreconditionFailed } from '../../apiserver/index.js';
import { updateSpec, type SyncContext } from './deployment-writes.js';
import { controllerRefOf } from '../owner-index/index.js';

/**
 * The ReplicaSets a Deployment controls after adopting and releasing (Kubernetes'
 * ReplicaSetControllerRefManager): its own that still match its selector; orphans that match
 * are adopted; its own that stopped matching are released. A Deployment being deleted adopts
 * and releases nothing. ReplicaSets controlled by something else are never touched.
 */
export async function claimReplicaSets(s: SyncContext, d: KubeObject, selector: LabelSelector, candidates: readonly KubeObject[]): Promise<KubeObject[]> {
  const uid = d.metadata.uid ?? '';
  const deleting = d.metadata.deletionTimestamp !== undefined;
  const claimed: KubeObject[] = [];
  for (const rs of candidates) {
    const owner = controllerRefOf(rs);
    const matches = matchesLabels(selector, rs.metadata.labels);
    if (owner !== undefined) {
      if (owner.uid !== uid) continue;
      if (matches || deleting) claimed.push(rs);
      else await rewrite(s, rs, (refs) => refs.filter((ref) => ref.uid !== uid));
      continue;
    }
    if (!matches || deleting || rs.metadata.deletionTimestamp !== undefined) continue;
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid, controller: true, blockOwnerDeletion: true };
    const adopted = await rewrite(s, rs, (refs) => (refs.some((r) => r.controller === true) ? undefined : [...refs, ref]));
    if (adopted !== undefined) claimed.push(adopted);
  }
  return claimed;
}

type Refs = NonNullable<KubeObject['metadata']['ownerReferences']>;

async function rewrite(s: SyncContext, rs: KubeObject, change: (refs: Refs) => Refs | undefined): Promise<KubeObject | undefined> {
  let skipped = false;
  try {
    const written = await updateSpec(s, s.rsDef, rs, (current) => {
      const next = change(current.metadata.ownerReferences ?? []);
      if (next === undefined) skipped = true;
      else if (next.length === 0) delete current.metadata.ownerReferences;
      else current.metadata.ownerReferences = next;
    });
    return skipped ? undefined : written;
  } catch (err) {
    if (isNotFound(err) || err instanceof PreconditionFailed) return undefined;
    throw err;
  }
}
