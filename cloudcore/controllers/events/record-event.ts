import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Logger } from '../../../shared/logging.js';
import { createObject, type ApiContext } from '../../apiserver/index.js';

export interface ControllerEvent {
  involved: KubeObject;
  /** Kubernetes' reason for this kind of change (SuccessfulCreate, ScalingReplicaSet, FailedScheduling ...). */
  reason: string;
  message: string;
  /** The reporting component, as Kubernetes names it (node-controller, replicaset-controller, default-scheduler). */
  component: string;
  /** 'Normal' unless said otherwise. */
  type?: 'Normal' | 'Warning';
}

/**
 * Records a core/v1 Event the way client-go's recorder does: named `<object>.<hex time>`, in the
 * object's namespace (cluster-scoped objects' events live in "default"). An event that cannot be
 * written is logged and dropped: events are best effort in Kubernetes too.
 */
export async function recordEvent(ctx: ApiContext, logger: Logger, event: ControllerEvent): Promise<void> {
  const def = ctx.registry.get('', 'v1', 'events');
  if (def === undefined) return;
  const now = ctx.now();
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const meta = event.involved.metadata;
  const namespace = meta.namespace ?? 'default';
  const suffix = (BigInt(now.getTime()) * 1_000_000n + BigInt(randomInt(1_000_000))).toString(16);
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${(meta.name ?? 'object').slice(0, 200)}.${suffix}`, namespace },
    involvedObject: {
      apiVersion: event.involved.apiVersion,
      kind: event.involved.kind,
      name: meta.name,
      ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
      ...(meta.uid !== undefined ? { uid: meta.uid } : {}),
    },
    reason: event.reason,
    message: event.message,
    type: event.type ?? 'Normal',
    source: { component: event.component },
    reportingComponent: event.component,
    reportingInstance: '',
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
  try {
    await createObject(ctx, def, body, { dryRun: false });
  } catch (err) {
    logger.warn({ err, reason: event.reason, object: meta.name }, 'could not record an event');
  }
}
