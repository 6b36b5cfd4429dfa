import type { KubeObject } from '../../../../shared/k8s/types.js';
import { childObj, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { computeQosClass } from './pod-status.js';

/**
 * What the pod strategy's PrepareForCreate and the default admission plugins do to a new pod:
 * ServiceAccount (serviceAccountName "default"), Priority (priority 0, PreemptLowerPriority),
 * the SchedulingGated condition, and the initial status.
 *
 * Not DefaultTolerationSeconds: Kubernetes gives every pod not-ready/unreachable NoExecute
 * tolerations of 300 s, so a node that is away for five minutes loses its pods. Outpost's policy
 * is that eviction is opt-in (docs/protocol.md R24, docs/edges.md § Joining, the channel and pods):
 * an edge that drops its link keeps its pods unless the node carries
 * `outpost.dev/autonomy-duration` or the pod itself tolerates
 * `node.kubernetes.io/unreachable:NoExecute` with tolerationSeconds.
 * The ServiceAccount plugin's lookup and token volume need the store: they run in the create path
 * (cloudcore/apiserver/admission/service-account-admission.ts).
 */
export function admitNewPod(pod: KubeObject): void {
  const spec = childObj(pod, 'spec');
  if (str(spec.serviceAccountName) === '') {
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
  }
  if (typeof spec.priority !== 'number' && str(spec.priorityClassName) === '') spec.priority = 0;
  if (spec.preemptionPolicy === undefined || spec.preemptionPolicy === '') spec.preemptionPolicy = 'PreemptLowerPriority';
  const status: Obj = { phase: 'Pending', qosClass: computeQosClass(spec) };
  if (objArray(spec.schedulingGates).length > 0) {
    status.conditions = [
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ];
  }
  pod.status = status;
}
