import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { ageSince } from '../common/human-duration.js';
import { validateNonNegative } from '../common/meta-validation.js';
import { childObj } from '../common/object-access.js';
import { ageColumn, column, nameColumn } from '../common/table-columns.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';
import type { ResourceDefinition, TableCell } from '../types.js';
import { replicaScale } from './replica-scale.js';
import {
  validateReplicas,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
  validateStatusCounters,
  validateWorkloadMeta,
  workloadSpec,
} from './workload-validation.js';
import { specReplicas, statusCount, templateCells, templateColumns } from './workload-table.js';

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
  return defineResource({
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
    scale: replicaScale,
    tracksGeneration: true,
    applyDefaults: defaultReplicaSet,
    prepareForCreate(rs) {
      rs.status = {};
    },
    validateCreate: validateReplicaSet,
    validateUpdate: (rs, old) => [...validateReplicaSet(rs), ...validateSelectorImmutable(rs, old)],
    validateStatusUpdate: (rs) => validateStatusCounters(rs, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
    table: {
      columns: [
        nameColumn(),
        column('Desired', 'Number of desired pods.', { type: 'integer' }),
        column('Current', 'Number of actual pods.', { type: 'integer' }),
        column('Ready', 'Number of pods ready.', { type: 'integer' }),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: (rs, now): TableCell[] => [
        rs.metadata.name ?? '',
        specReplicas(rs),
        statusCount(rs, 'replicas'),
        statusCount(rs, 'readyReplicas'),
        ageSince(rs.metadata.creationTimestamp, now),
        ...templateCells(rs),
      ],
    },
    selectableFields: (rs) => ({ 'status.replicas': String(statusCount(rs, 'replicas')) }),
  });
}
