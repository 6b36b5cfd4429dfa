import type { KubeObject } from '../../../shared/k8s/types.js';
import { OutpostError } from '../../../shared/errors.js';
import { asObj, num } from '../../../shared/k8s/object-access.js';
import { createIfAbsent, updateObject } from '../../apiserver/index.js';
import { recordEvent } from '../events/index.js';
import { PROGRESSING, getCondition, newCondition, progressDeadlineSeconds, setCondition, conditionsOf, type DeploymentCondition } from './deployment-status.js';
import { COMPONENT, updateSpec, writeDeploymentRevision, type SyncContext } from './deployment-writes.js';
import { maxSurgeOf, newReplicaSetSize } from './rolling-arithmetic.js';
import { byCreation, shapeOf, specReplicas } from './replicaset-fields.js';
import { REVISION_ANNOTATION, maxRevision, setNewReplicaSetAnnotations } from './revisions.js';
import { POD_TEMPLATE_HASH_LABEL, equalIgnoringHash, templateHash } from './template-hash.js';
import { controllerRefOf } from '../owner-index/index.js';

export interface RevisionedReplicaSets {
  /** The Deployment, as rewritten with its revision annotation or a new condition. */
  d: KubeObject;
  newRS: KubeObject | undefined;
  /** Every other ReplicaSet of the Deployment, empty ones included. */
  oldRSs: KubeObject[];
}

const templateOf = (obj: KubeObject): unknown => asObj(obj.spec)?.template;

/**
 * Finds the ReplicaSet of the current template (the oldest whose template equals it, hash label
 * aside) and brings its revision annotations up to date, or creates it when asked
 * (getAllReplicaSetsAndSyncRevision, docs/deployments.md § Revisions).
 */
export async function syncRevision(s: SyncContext, deployment: KubeObject, rsList: readonly KubeObject[], createIfMissing: boolean): Promise<RevisionedReplicaSets> {
  let d = deployment;
  const existing = [...rsList].sort(byCreation).find((rs) => equalIgnoringHash(templateOf(rs), templateOf(d)));
  const oldRSs = rsList.filter((rs) => rs !== existing);
  const newRevision = maxRevision(oldRSs) + 1;
  const replicas = { desired: specReplicas(d), max: specReplicas(d) + maxSurgeOf(shapeOf(d)) };
  const minReadySeconds = num(asObj(d.spec)?.minReadySeconds) ?? 0;
  if (existing !== undefined) {
    let rs = existing;
    const probe = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, probe, newRevision, true, replicas);
    if (annotationsChanged || (num(asObj(existing.spec)?.minReadySeconds) ?? 0) !== minReadySeconds) {
      rs = await updateSpec(s, s.rsDef, existing, (current) => {
        setNewReplicaSetAnnotations(d, current, newRevision, true, replicas);
        (current.spec as Record<string, unknown>).minReadySeconds = minReadySeconds;
      });
    }
    d = await writeDeploymentRevision(s, d, rs.metadata.annotations?.[REVISION_ANNOTATION] ?? String(newRevision));
    if (progressDeadlineSeconds(d) !== undefined && getCondition({ conditions: conditionsOf(d) }, PROGRESSING) === undefined) {
      d = await writeCondition(s, d, newCondition(PROGRESSING, 'True', 'FoundNewReplicaSet', `Found new replica set "${rs.metadata.name ?? ''}"`, s.now()));
    }
    return { d, newRS: rs, oldRSs };
  }
  if (!createIfMissing) return { d, newRS: undefined, oldRSs };

  const collisionCount = num(asObj(d.status)?.collisionCount);
  const template = structuredClone(asObj(templateOf(d)) ?? {});
  const hash = templateHash(template, collisionCount);
  const templateMeta = (asObj(template.metadata) ?? {}) as Record<string, unknown>;
  templateMeta.labels = { ...(asObj(templateMeta.labels) ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = templateMeta;
  const selector = structuredClone(asObj(asObj(d.spec)?.selector) ?? {});
  selector.matchLabels = { ...(asObj(selector.matchLabels) ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const name = `${d.metadata.name ?? ''}-${hash}`;
  const size = newReplicaSetSize(shapeOf(d), oldRSs.reduce((n, rs) => n + specReplicas(rs), 0), 0);
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels: templateMeta.labels as Record<string, string>,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: size, minReadySeconds, selector, template },
  };
  setNewReplicaSetAnnotations(d, rs, newRevision, false, replicas);
  const outcome = await createIfAbsent(s.ctx, s.rsDef, rs);
  if (!outcome.created) {
    const found = await s.ctx.objects.get(s.rsDef, d.metadata.namespace, name);
    const ours = found !== undefined && controllerRefOf(found)?.uid === d.metadata.uid;
    if (found !== undefined && ours && equalIgnoringHash(templateOf(found), templateOf(d))) return { d, newRS: found, oldRSs };
    // Another template (or owner) holds the name: bump collisionCount so the next hash differs.
    await writeCollision(s, d, (collisionCount ?? 0) + 1);
    throw new OutpostError('Conflict', `hash collision for ReplicaSet ${name} of Deployment ${d.metadata.name ?? ''}; collisionCount raised`);
  }
  if (size > 0) {
    void recordEvent(s.ctx, s.logger, { involved: d, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${name} from 0 to ${size}`, component: COMPONENT });
  }
  d = await writeDeploymentRevision(s, d, String(newRevision));
  if (progressDeadlineSeconds(d) !== undefined) {
    d = await writeCondition(s, d, newCondition(PROGRESSING, 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, s.now()));
  }
  return { d, newRS: outcome.object, oldRSs };
}

/** Writes one condition into the Deployment's status at once, as Kubernetes does on these steps. */
export async function writeCondition(s: SyncContext, d: KubeObject, condition: DeploymentCondition): Promise<KubeObject> {
  return updateObject(s.ctx, s.deploymentDef, {
    namespace: d.metadata.namespace, name: d.metadata.name ?? '', subresource: 'status', dryRun: false,
    mutate: (current) => {
      const holder = { conditions: conditionsOf(current) };
      setCondition(holder, condition);
      current.status = { ...(asObj(current.status) ?? {}), conditions: holder.conditions };
      current.metadata.uid = d.metadata.uid;
      delete current.metadata.resourceVersion;
      return current;
    },
  });
}

async function writeCollision(s: SyncContext, d: KubeObject, collisionCount: number): Promise<void> {
  await updateObject(s.ctx, s.deploymentDef, {
    namespace: d.metadata.namespace, name: d.metadata.name ?? '', subresource: 'status', dryRun: false,
    mutate: (current) => {
      current.status = { ...(asObj(current.status) ?? {}), collisionCount };
      current.metadata.uid = d.metadata.uid;
      delete current.metadata.resourceVersion;
      return current;
    },
  });
}
