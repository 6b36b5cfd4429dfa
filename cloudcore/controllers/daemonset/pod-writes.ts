import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Logger } from '../../../shared/logging.js';
import { errorMessage, OutpostError } from '../../../shared/errors.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { createObject, deleteObject, PreconditionFailed, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { recordEvent } from '../events/index.js';
import { newDaemonPod } from './daemon-pod.js';
import type { DaemonPodIndex } from './daemon-pod-index.js';

/** Kubernetes names the DaemonSet controller's events after this component. */
export const COMPONENT = 'daemonset-controller';

export interface PodWriter {
  /** Creates the daemon pods of these nodes, in slow-start batches (1, 2, 4 ...) as Kubernetes does. */
  createPods(ds: KubeObject, nodes: readonly string[], hash: string): Promise<void>;
  deletePods(ds: KubeObject, pods: readonly KubeObject[]): Promise<void>;
}

/**
 * The controller's pod writes, each recorded in the index at once and reported with Kubernetes'
 * events (SuccessfulCreate "Created pod: x", SuccessfulDelete "Deleted pod: x", FailedCreate,
 * FailedDelete). A failed write is reported, the others go on, and the reconcile then throws so
 * the work queue retries with backoff.
 */
export function createPodWriter(ctx: ApiContext, podsDef: ResourceDefinition, index: DaemonPodIndex, logger: Logger): PodWriter {
  const failure = (what: string, failures: string[]): OutpostError =>
    new OutpostError('Internal', `${what} ${failures.length} daemon pod(s): ${failures.join('; ')}`);

  async function createOne(ds: KubeObject, node: string, hash: string): Promise<string | undefined> {
    try {
      const created = await createObject(ctx, podsDef, newDaemonPod(ds, node, hash), { dryRun: false });
      index.put(created);
      await recordEvent(ctx, logger, { involved: ds, reason: 'SuccessfulCreate', message: `Created pod: ${created.metadata.name ?? ''}`, component: COMPONENT });
      return undefined;
    } catch (err) {
      await recordEvent(ctx, logger, { involved: ds, reason: 'FailedCreate', message: `Error creating: ${errorMessage(err)}`, component: COMPONENT, type: 'Warning' });
      return `${node}: ${errorMessage(err)}`;
    }
  }

  async function deleteOne(ds: KubeObject, pod: KubeObject): Promise<string | undefined> {
    const name = pod.metadata.name ?? '';
    try {
      const outcome = await deleteObject(ctx, podsDef, pod.metadata.namespace, name, {
        gracePeriodSeconds: undefined, preconditionUid: pod.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false,
      });
      if (outcome.deleted) index.removeOwnDeletion(pod);
      else index.put(outcome.object);
    } catch (err) {
      // Gone already, or a new pod under the same name: nothing of ours left to delete.
      if (err instanceof PreconditionFailed || isNotFound(err)) {
        index.removeOwnDeletion(pod);
        return undefined;
      }
      await recordEvent(ctx, logger, { involved: ds, reason: 'FailedDelete', message: `Error deleting: ${errorMessage(err)}`, component: COMPONENT, type: 'Warning' });
      return `${name}: ${errorMessage(err)}`;
    }
    await recordEvent(ctx, logger, { involved: ds, reason: 'SuccessfulDelete', message: `Deleted pod: ${name}`, component: COMPONENT });
    return undefined;
  }

  return {
    async createPods(ds, nodes, hash) {
      const failures: string[] = [];
      for (let at = 0, batch = 1; at < nodes.length; at += batch, batch *= 2) {
        const results = await Promise.all(nodes.slice(at, at + batch).map((node) => createOne(ds, node, hash)));
        const failed = results.filter((r): r is string => r !== undefined);
        failures.push(...failed);
        // Kubernetes' slow start: a batch that failed stops the rest (likely to fail the same way).
        if (failed.length > 0) break;
      }
      if (failures.length > 0) throw failure('could not create', failures);
    },
    async deletePods(ds, pods) {
      const results = await Promise.all(pods.map((pod) => deleteOne(ds, pod)));
      const failures = results.filter((r): r is string => r !== undefined);
      if (failures.length > 0) throw failure('could not delete', failures);
    },
  };
}
