import { replicaSetsInfo } from '../../../../shared/apimachinery/resources/builtin/replicasets.js';
import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateNonNegative } from '../common/meta-validation.js';
import { childObj } from '../../../../shared/k8s/object-access.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';
import type { ResourceDefinition } from '../types.js';
import { replicaScale } from './replica-scale.js';
import { validateReplicas, validateSelectorAndTemplate, validateSelectorImmutable, validateStatusCounters, validateWorkloadMeta, workloadSpec } from './workload-validation.js';

export function defaultReplicaSet(rs: KubeObject): void {
  const spec = childObj(rs, 'spec');
  if (typeof spec.replicas !== 'number') spec.replicas = 1;
  defaultTemplate(rs);
}

function validateReplicaSet(rs: KubeObject): FieldError[] {
  return [
    ...validateWorkloadMeta(rs),
    ...validateReplicas(rs),
    ...validateNonNegative(workloadSpec(rs).minReadySeconds, 'spec.minReadySeconds'),
    // Kubernetes' ReplicaSet validation says "for deployment" too.
    ...validateSelectorAndTemplate(rs, 'deployment'),
  ];
}

/** apps/v1 replicasets. */
export function replicaSetsResource(): ResourceDefinition {
  return defineResource(replicaSetsInfo(), {
    scale: replicaScale,
    tracksGeneration: true,
    applyDefaults: defaultReplicaSet,
    prepareForCreate(rs) {
      rs.status = {};
    },
    validateCreate: validateReplicaSet,
    validateUpdate: (rs, old) => [...validateReplicaSet(rs), ...validateSelectorImmutable(rs, old)],
    validateStatusUpdate: (rs) => validateStatusCounters(rs, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
  });
}
