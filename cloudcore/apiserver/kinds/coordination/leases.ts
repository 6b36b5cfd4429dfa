import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { ageSince } from '../common/human-duration.js';
import { validateNonNegative, validateObjectMeta, validatePositive } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, str } from '../common/object-access.js';
import { ageColumn, column, nameColumn } from '../common/table-columns.js';
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
  return defineResource({
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    namespaced: true,
    validateCreate: validateLease,
    table: {
      columns: [nameColumn(), column('Holder', 'The holder of the lease.'), ageColumn()],
      cells: (lease, now) => [lease.metadata.name ?? '', str(asObj(lease.spec)?.holderIdentity), ageSince(lease.metadata.creationTimestamp, now)],
    },
  });
}
