import { leasesInfo } from '../../../../shared/apimachinery/resources/builtin/leases.js';
import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateNonNegative, validateObjectMeta, validatePositive } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';

function validateLease(lease: KubeObject): FieldError[] {
  const spec = asObj(lease.spec) ?? {};
  return [
    ...validateObjectMeta(lease, { namespaced: true, nameRule: nameIsDNSSubdomain }),
    ...validatePositive(spec.leaseDurationSeconds, 'spec.leaseDurationSeconds'),
    ...validateNonNegative(spec.leaseTransitions, 'spec.leaseTransitions'),
  ];
}

/** coordination.k8s.io/v1 leases (node heartbeats live in kube-node-lease). */
export function leasesResource(): ResourceDefinition {
  return defineResource(leasesInfo(), {
    validateCreate: validateLease,
  });
}
