import { podsInfo } from '../../../../shared/apimachinery/resources/builtin/pods.js';
import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';
import { admitNewPod } from './pod-admission.js';
import { refuseEphemeralContainersOnCreate, validateEphemeralContainersUpdate } from './ephemeral-containers.js';
import { defaultPod } from './pod-spec-defaults.js';
import { validatePodSpec } from './pod-spec-validation.js';
import { validatePodStatusUpdate } from './pod-status.js';
import { validatePodSpecUpdate } from './pod-update-validation.js';

function validatePod(pod: KubeObject): FieldError[] {
  return [...validateObjectMeta(pod, { namespaced: true, nameRule: nameIsDNSSubdomain }), ...validatePodSpec(asObj(pod.spec), 'spec')];
}

/**
 * The `ephemeralcontainers` subresource's update (ValidatePodEphemeralContainersUpdate): the pod
 * stays valid, and the ephemeral containers it had are all still there, unchanged.
 */
export function validatePodEphemeralContainersUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  return [...validatePod(pod), ...validateEphemeralContainersUpdate(asObj(pod.spec) ?? {}, asObj(old.spec) ?? {})];
}

/** core/v1 pods. */
export function podsResource(): ResourceDefinition {
  return defineResource(podsInfo(), {
    applyDefaults: defaultPod,
    // The API defaults before PrepareForCreate, so the QoS class sees defaulted requests.
    prepareForCreate: admitNewPod,
    validateCreate: (pod) => [...validatePod(pod), ...refuseEphemeralContainersOnCreate(asObj(pod.spec))],
    validateUpdate: (pod, old) => [...validatePod(pod), ...validatePodSpecUpdate(asObj(pod.spec) ?? {}, asObj(old.spec) ?? {})],
    validateStatusUpdate: validatePodStatusUpdate,
  });
}
