import { forbidden, invalid, notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, indexedObjs, num, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { parseQuantity } from '../common/quantity.js';
import { validateImmutable } from '../common/meta-validation.js';
import { isDNS1123Subdomain } from '../common/name-rules.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const QOS_RESOURCES = ['cpu', 'memory'];

function addPositive(into: Map<string, number>, list: unknown, found?: Set<string>): void {
  for (const [name, value] of Object.entries(asObj(list) ?? {})) {
    if (!QOS_RESOURCES.includes(name)) continue;
    const q = parseQuantity(value);
    if (q === undefined || q <= 0) continue;
    found?.add(name);
    into.set(name, (into.get(name) ?? 0) + q);
  }
}

/** qos.ComputePodQOS over init and regular containers, for cpu and memory. */
export function computeQosClass(spec: Obj | undefined): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...objArray(spec?.initContainers), ...objArray(spec?.containers)]) {
    const resources = asObj(c.resources);
    addPositive(requests, resources?.requests);
    const limitsFound = new Set<string>();
    addPositive(limits, resources?.limits, limitsFound);
    if (!QOS_RESOURCES.every((r) => limitsFound.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** A container that had terminated may not come back to life unless the restart policy allows it. */
function validateStateTransitions(next: unknown, prev: unknown, path: string, restartPolicy: string): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  const nextList = objArray(next);
  for (const [i, old] of indexedObjs(prev)) {
    const terminated = asObj(asObj(old.state)?.terminated);
    if (terminated === undefined) continue;
    if ((num(terminated.exitCode) ?? 0) !== 0 && restartPolicy === 'OnFailure') continue;
    for (const status of nextList) {
      if (str(status.name) === str(old.name) && asObj(asObj(status.state)?.terminated) === undefined) {
        errs.push(forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state'));
      }
    }
  }
  return errs;
}

/** ValidatePodStatusUpdate, the parts that matter here. */
export function validatePodStatusUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = asObj(pod.status) ?? {};
  const oldStatus = asObj(old.status) ?? {};
  const phase = str(status.phase);
  if (phase !== '' && !POD_PHASES.includes(phase)) errs.push(notSupported('status.phase', phase, POD_PHASES));
  const nominated = str(status.nominatedNodeName);
  if (nominated !== '' && nominated !== str(oldStatus.nominatedNodeName)) {
    for (const msg of isDNS1123Subdomain(nominated)) errs.push(invalid('status.nominatedNodeName', nominated, msg));
  }
  if (oldStatus.qosClass !== undefined) errs.push(...validateImmutable(status.qosClass, oldStatus.qosClass, 'status.qosClass'));
  const restartPolicy = str(asObj(old.spec)?.restartPolicy);
  errs.push(...validateStateTransitions(status.containerStatuses, oldStatus.containerStatuses, 'status.containerStatuses', restartPolicy));
  errs.push(...validateStateTransitions(status.initContainerStatuses, oldStatus.initContainerStatuses, 'status.initContainerStatuses', restartPolicy));
  // Ephemeral containers are never restarted, whatever the pod's policy.
  errs.push(...validateStateTransitions(status.ephemeralContainerStatuses, oldStatus.ephemeralContainerStatuses, 'status.ephemeralContainerStatuses', 'Never'));
  return errs;
}
