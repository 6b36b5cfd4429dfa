import { podDisruptionBudgetsInfo } from '../../../../shared/apimachinery/resources/builtin/poddisruptionbudgets.js';
import { defineResource } from '../common/define-resource.js';
import type { ResourceDefinition } from '../types.js';
import { validatePodDisruptionBudget, validatePodDisruptionBudgetStatus } from './pdb-validation.js';

/** policy/v1 poddisruptionbudgets: the disruption controller owns the status (docs/eviction.md). */
export function podDisruptionBudgetsResource(): ResourceDefinition {
  return defineResource(podDisruptionBudgetsInfo(), {
    tracksGeneration: true,
    prepareForCreate(pdb) {
      // An empty PodDisruptionBudgetStatus, as Go serializes it (the counts are not omitempty).
      pdb.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    },
    validateCreate: validatePodDisruptionBudget,
    validateStatusUpdate: validatePodDisruptionBudgetStatus,
  });
}
