import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, objArray, str } from '../common/object-access.js';
import type { ResourceDefinition } from '../types.js';
import { admitNewPod } from './pod-admission.js';
import { defaultPod } from './pod-spec-defaults.js';
import { validatePodSpec } from './pod-spec-validation.js';
import { validatePodStatusUpdate } from './pod-status.js';
import { podTable } from './pod-table.js';
import { validatePodSpecUpdate } from './pod-update-validation.js';

function validatePod(pod: KubeObject): FieldError[] {
  return [...validateObjectMeta(pod, { namespaced: true, nameRule: nameIsDNSSubdomain }), ...validatePodSpec(asObj(pod.spec), 'spec')];
}

/** core/v1 pods. */
export function podsResource(): ResourceDefinition {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    applyDefaults: defaultPod,
    // The API defaults before PrepareForCreate, so the QoS class sees defaulted requests.
    prepareForCreate: admitNewPod,
    validateCreate: validatePod,
    validateUpdate: (pod, old) => [...validatePod(pod), ...validatePodSpecUpdate(asObj(pod.spec) ?? {}, asObj(old.spec) ?? {})],
    validateStatusUpdate: validatePodStatusUpdate,
    table: podTable,
    selectableFields(pod) {
      const spec = asObj(pod.spec) ?? {};
      const status = asObj(pod.status) ?? {};
      return {
        'spec.nodeName': str(spec.nodeName),
        'spec.restartPolicy': str(spec.restartPolicy),
        'spec.schedulerName': str(spec.schedulerName),
        'spec.serviceAccountName': str(spec.serviceAccountName),
        'spec.hostNetwork': spec.hostNetwork === true ? 'true' : 'false',
        'status.phase': str(status.phase),
        'status.podIP': str(objArray(status.podIPs)[0]?.ip) || str(status.podIP),
        'status.nominatedNodeName': str(status.nominatedNodeName),
      };
    },
  });
}
