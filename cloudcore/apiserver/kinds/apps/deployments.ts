import { deploymentsInfo } from '../../../../shared/apimachinery/resources/builtin/deployments.js';
import { invalid, notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateNonNegative } from '../common/meta-validation.js';
import { asObj, childObj, num, str } from '../../../../shared/k8s/object-access.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';
import type { ResourceDefinition } from '../types.js';
import { replicaScale } from './replica-scale.js';
import { validateReplicas, validateSelectorAndTemplate, validateSelectorImmutable, validateStatusCounters, validateWorkloadMeta, workloadSpec } from './workload-validation.js';

/** SetDefaults_Deployment plus the pod template's defaults. */
export function defaultDeployment(deployment: KubeObject): void {
  const spec = childObj(deployment, 'spec');
  if (typeof spec.replicas !== 'number') spec.replicas = 1;
  const strategy = childObj(spec, 'strategy');
  if (str(strategy.type) === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = childObj(strategy, 'rollingUpdate');
    if (rolling.maxUnavailable === undefined || rolling.maxUnavailable === null) rolling.maxUnavailable = '25%';
    if (rolling.maxSurge === undefined || rolling.maxSurge === null) rolling.maxSurge = '25%';
  }
  if (typeof spec.revisionHistoryLimit !== 'number') spec.revisionHistoryLimit = 10;
  if (typeof spec.progressDeadlineSeconds !== 'number') spec.progressDeadlineSeconds = 600;
  defaultTemplate(deployment);
}

function validateStrategy(spec: Record<string, unknown>): FieldError[] {
  const strategy = asObj(spec.strategy) ?? {};
  const type = str(strategy.type);
  if (type !== 'Recreate' && type !== 'RollingUpdate') return [notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate'])];
  if (type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    return [{ type: 'FieldValueForbidden', field: 'spec.strategy.rollingUpdate', detail: 'may not be specified when strategy `type` is \'Recreate\'' }];
  }
  const rolling = asObj(strategy.rollingUpdate) ?? {};
  const isZero = (v: unknown): boolean => v === 0 || v === '0%' || v === '0';
  if (isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
    return [invalid('spec.strategy.rollingUpdate.maxUnavailable', rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0')];
  }
  return [];
}

function validateDeployment(deployment: KubeObject): FieldError[] {
  const spec = workloadSpec(deployment);
  const errs = [...validateWorkloadMeta(deployment), ...validateReplicas(deployment), ...validateSelectorAndTemplate(deployment, 'deployment')];
  errs.push(...validateStrategy(spec));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const deadline = num(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    if (deadline <= 0) errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than 0'));
    else if (deadline <= (num(spec.minReadySeconds) ?? 0)) errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

const DEPLOYMENT_STATUS_COUNTERS = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'observedGeneration'];

/** apps/v1 deployments. */
export function deploymentsResource(): ResourceDefinition {
  return defineResource(deploymentsInfo(), {
    scale: replicaScale,
    tracksGeneration: true,
    applyDefaults: defaultDeployment,
    prepareForCreate(deployment) {
      deployment.status = {};
    },
    validateCreate: validateDeployment,
    validateUpdate: (d, old) => [...validateDeployment(d), ...validateSelectorImmutable(d, old)],
    validateStatusUpdate: (d) => validateStatusCounters(d, DEPLOYMENT_STATUS_COUNTERS),
  });
}
