import type { KubeObject } from '../../../../shared/k8s/types.js';
import { arrayOf, asObj, childObj, type Obj } from '../../../../shared/k8s/object-access.js';

/** autoscaling.DefaultCPUUtilization: the target of an HPA that names no metric. */
export const DEFAULT_CPU_UTILIZATION = 80;

export function cpuUtilizationMetric(averageUtilization: number): Obj {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } };
}

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: what an unset field of a given rule becomes. */
const SCALE_UP: Obj = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
const SCALE_DOWN: Obj = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

function fillRules(behavior: Obj, key: 'scaleUp' | 'scaleDown', defaults: Obj): void {
  const rules = asObj(behavior[key]) ?? {};
  const filled: Obj = { ...rules };
  for (const [field, value] of Object.entries(defaults)) {
    if (filled[field] === undefined || filled[field] === null) filled[field] = structuredClone(value);
  }
  behavior[key] = filled;
}

/**
 * SetDefaults_HorizontalPodAutoscaler (autoscaling/v2): minReplicas 1, a CPU utilization target of
 * 80% when no metric is named, and a given behavior's unset rules filled with the defaults.
 */
export function defaultHorizontalPodAutoscalerV2(hpa: KubeObject): void {
  const spec = childObj(hpa, 'spec');
  if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
  if (arrayOf(spec.metrics).length === 0) spec.metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  const behavior = asObj(spec.behavior);
  if (behavior !== undefined) {
    fillRules(behavior, 'scaleUp', SCALE_UP);
    fillRules(behavior, 'scaleDown', SCALE_DOWN);
  }
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v1): minReplicas 1 only; the CPU target stays unset. */
export function defaultHorizontalPodAutoscalerV1(hpa: KubeObject): void {
  const spec = childObj(hpa, 'spec');
  if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
}
