import type { KubeObject } from '../../../../shared/k8s/types.js';
import { childObj, objArray, str, type Obj } from '../common/object-access.js';
import { computeQosClass } from './pod-status.js';

/** What the DefaultTolerationSeconds admission plugin adds: 300s for not-ready and unreachable nodes. */
const DEFAULT_NOEXECUTE_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];
const DEFAULT_TOLERATION_SECONDS = 300;

function toleratesNoExecute(tolerations: Obj[], key: string): boolean {
  return tolerations.some((t) => {
    const effect = str(t.effect);
    if (effect !== '' && effect !== 'NoExecute') return false;
    const tkey = str(t.key);
    return tkey === key || (tkey === '' && t.operator === 'Exists');
  });
}

function addDefaultTolerations(spec: Obj): void {
  const tolerations = objArray(spec.tolerations);
  const added: Obj[] = [];
  for (const key of DEFAULT_NOEXECUTE_TAINTS) {
    if (!toleratesNoExecute(tolerations, key)) {
      added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  if (added.length > 0) spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added];
}

/**
 * What the pod strategy's PrepareForCreate and the default admission plugins do to a new pod:
 * ServiceAccount (serviceAccountName "default"), Priority (priority 0, PreemptLowerPriority),
 * DefaultTolerationSeconds, the SchedulingGated condition, and the initial status.
 * The ServiceAccount plugin's token volume is not added: tokens are not issued here.
 */
export function admitNewPod(pod: KubeObject): void {
  const spec = childObj(pod, 'spec');
  if (str(spec.serviceAccountName) === '') {
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
  }
  if (typeof spec.priority !== 'number' && str(spec.priorityClassName) === '') spec.priority = 0;
  if (spec.preemptionPolicy === undefined || spec.preemptionPolicy === '') spec.preemptionPolicy = 'PreemptLowerPriority';
  addDefaultTolerations(spec);
  const status: Obj = { phase: 'Pending', qosClass: computeQosClass(spec) };
  if (objArray(spec.schedulingGates).length > 0) {
    status.conditions = [
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ];
  }
  pod.status = status;
}
