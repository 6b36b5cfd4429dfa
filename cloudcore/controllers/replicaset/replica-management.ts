import type { Logger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { errorMessage } from '../../../shared/errors.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { createObject, deleteObject, PreconditionFailed, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { recordEvent } from '../events/index.js';
import type { PodExpectations } from './expectations.js';
import { podFromTemplate } from './pod-from-template.js';
import { podsToDelete } from './pod-ranking.js';

/** At most this many pods are created or deleted in one sync (Kubernetes' burstReplicas). */
const BURST_REPLICAS = 500;
const COMPONENT = 'replicaset-controller';

export interface ManageContext {
  ctx: ApiContext;
  podsDef: ResourceDefinition;
  expectations: PodExpectations;
  logger: Logger;
  now: () => number;
}

/**
 * Creates or deletes pods so the ReplicaSet has spec.replicas active pods (Kubernetes'
 * manageReplicas). Creations go in slow-start batches (1, 2, 4, ...) so a template that cannot
 * be created fails once, not a thousand times. Returns the failure message, if any.
 */
export async function manageReplicas(m: ManageContext, rs: KubeObject, rsKey: string, pods: readonly KubeObject[], related: readonly KubeObject[]): Promise<string | undefined> {
  const spec = (rs.spec ?? {}) as { replicas?: number };
  const diff = pods.length - (spec.replicas ?? 1);
  if (diff < 0) return createPods(m, rs, rsKey, Math.min(-diff, BURST_REPLICAS));
  if (diff > 0) return deletePods(m, rs, rsKey, podsToDelete(pods, related, Math.min(diff, BURST_REPLICAS), m.now()));
  return undefined;
}

async function createPods(m: ManageContext, rs: KubeObject, rsKey: string, count: number): Promise<string | undefined> {
  m.expectations.expectCreations(rsKey, count);
  let remaining = count;
  for (let batch = 1; remaining > 0; batch *= 2) {
    const size = Math.min(batch, remaining);
    remaining -= size;
    const results = await Promise.allSettled(Array.from({ length: size }, () => createObject(m.ctx, m.podsDef, podFromTemplate(rs), { dryRun: false })));
    let failure: string | undefined;
    for (const result of results) {
      if (result.status === 'fulfilled') {
        void recordEvent(m.ctx, m.logger, { involved: rs, reason: 'SuccessfulCreate', message: `Created pod: ${result.value.metadata.name ?? ''}`, component: COMPONENT });
        continue;
      }
      m.expectations.creationObserved(rsKey);
      failure = errorMessage(result.reason);
      void recordEvent(m.ctx, m.logger, { involved: rs, reason: 'FailedCreate', message: `Error creating: ${failure}`, component: COMPONENT, type: 'Warning' });
    }
    if (failure !== undefined) {
      // The creations not attempted will not be observed either.
      for (let i = 0; i < remaining; i++) m.expectations.creationObserved(rsKey);
      return failure;
    }
  }
  return undefined;
}

async function deletePods(m: ManageContext, rs: KubeObject, rsKey: string, victims: readonly KubeObject[]): Promise<string | undefined> {
  m.expectations.expectDeletions(rsKey, victims.map((pod) => pod.metadata.name ?? ''));
  let failure: string | undefined;
  await Promise.all(victims.map(async (pod) => {
    const name = pod.metadata.name ?? '';
    try {
      await deleteObject(m.ctx, m.podsDef, pod.metadata.namespace, name, {
        gracePeriodSeconds: undefined, preconditionUid: pod.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false,
      });
      void recordEvent(m.ctx, m.logger, { involved: rs, reason: 'SuccessfulDelete', message: `Deleted pod: ${name}`, component: COMPONENT });
    } catch (err) {
      // Gone already (or replaced under its name): nothing left to delete, and no event will come.
      if (isNotFound(err) || err instanceof PreconditionFailed) {
        m.expectations.deletionObserved(rsKey, name);
        return;
      }
      m.expectations.deletionObserved(rsKey, name);
      failure = errorMessage(err);
      void recordEvent(m.ctx, m.logger, { involved: rs, reason: 'FailedDelete', message: `Error deleting: ${failure}`, component: COMPONENT, type: 'Warning' });
    }
  }));
  return failure;
}
