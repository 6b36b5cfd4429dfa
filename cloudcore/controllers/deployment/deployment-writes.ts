import type { Logger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { updateObject, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { recordEvent } from '../events/index.js';
import type { DeploymentStatus } from './deployment-status.js';
import { maxSurgeOf } from './rolling-arithmetic.js';
import { shapeOf, specReplicas } from './replicaset-fields.js';
import { REVISION_ANNOTATION, replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './revisions.js';

/** What every step of a Deployment's sync writes with. */
export interface SyncContext {
  ctx: ApiContext;
  rsDef: ResourceDefinition;
  deploymentDef: ResourceDefinition;
  logger: Logger;
  now: () => number;
}

export const COMPONENT = 'deployment-controller';

/** Updates an object's non-status fields against the uid the caller read (a re-created object is left alone). */
export async function updateSpec(s: SyncContext, def: ResourceDefinition, obj: KubeObject, change: (current: KubeObject) => void): Promise<KubeObject> {
  return updateObject(s.ctx, def, {
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
    subresource: undefined,
    dryRun: false,
    mutate: (current) => {
      change(current);
      current.metadata.uid = obj.metadata.uid;
      delete current.metadata.resourceVersion;
      return current;
    },
  });
}

/**
 * Sets a ReplicaSet's size and its desired-/max-replicas annotations (scaleReplicaSet), and
 * records ScalingReplicaSet when the size changed, in Kubernetes' words.
 */
export async function scaleReplicaSet(s: SyncContext, rs: KubeObject, newScale: number, d: KubeObject): Promise<KubeObject> {
  const from = specReplicas(rs);
  const desired = specReplicas(d);
  const max = desired + maxSurgeOf(shapeOf(d));
  if (from === newScale && !replicasAnnotationsNeedUpdate(rs, desired, max)) return rs;
  const written = await updateSpec(s, s.rsDef, rs, (current) => {
    (current.spec as Record<string, unknown>).replicas = newScale;
    setReplicasAnnotations(current, desired, max);
  });
  if (from !== newScale) {
    const direction = from < newScale ? 'up' : 'down';
    void recordEvent(s.ctx, s.logger, { involved: d, reason: 'ScalingReplicaSet', message: `Scaled ${direction} replica set ${rs.metadata.name ?? ''} from ${from} to ${newScale}`, component: COMPONENT });
  }
  return written;
}

/** Writes the Deployment's status when it changed. */
export async function writeDeploymentStatus(s: SyncContext, d: KubeObject, status: DeploymentStatus): Promise<void> {
  await updateObject(s.ctx, s.deploymentDef, {
    namespace: d.metadata.namespace,
    name: d.metadata.name ?? '',
    subresource: 'status',
    dryRun: false,
    mutate: (current) => {
      const next: Record<string, unknown> = { ...status };
      if (status.conditions.length === 0) delete next.conditions;
      current.status = next;
      current.metadata.uid = d.metadata.uid;
      delete current.metadata.resourceVersion;
      return current;
    },
  });
}

/** Sets the Deployment's revision annotation to its newest ReplicaSet's (SetDeploymentRevision). */
export async function writeDeploymentRevision(s: SyncContext, d: KubeObject, revision: string): Promise<KubeObject> {
  if (d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return d;
  return updateSpec(s, s.deploymentDef, d, (current) => {
    current.metadata.annotations = { ...(current.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
  });
}
