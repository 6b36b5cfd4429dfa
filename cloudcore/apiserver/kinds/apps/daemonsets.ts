import { daemonSetsInfo } from '../../../../shared/apimachinery/resources/builtin/daemonsets.js';
import { invalid, notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateNonNegative } from '../common/meta-validation.js';
import { asObj, childObj, str } from '../../../../shared/k8s/object-access.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';
import type { ResourceDefinition } from '../types.js';
import { validateSelectorAndTemplate, validateSelectorImmutable, validateStatusCounters, validateWorkloadMeta, workloadSpec } from './workload-validation.js';

/** SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0; history 10. */
export function defaultDaemonSet(ds: KubeObject): void {
  const spec = childObj(ds, 'spec');
  const strategy = childObj(spec, 'updateStrategy');
  if (str(strategy.type) === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = childObj(strategy, 'rollingUpdate');
    if (rolling.maxUnavailable === undefined || rolling.maxUnavailable === null) rolling.maxUnavailable = 1;
    if (rolling.maxSurge === undefined || rolling.maxSurge === null) rolling.maxSurge = 0;
  }
  if (typeof spec.revisionHistoryLimit !== 'number') spec.revisionHistoryLimit = 10;
  defaultTemplate(ds);
}

function validateDaemonSet(ds: KubeObject): FieldError[] {
  const spec = workloadSpec(ds);
  const errs = [...validateWorkloadMeta(ds), ...validateSelectorAndTemplate(ds, 'daemonset')];
  const strategy = asObj(spec.updateStrategy) ?? {};
  const type = str(strategy.type);
  if (type !== 'OnDelete' && type !== 'RollingUpdate') errs.push(notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
  const rolling = asObj(strategy.rollingUpdate) ?? {};
  const isZero = (v: unknown): boolean => v === 0 || v === '0%' || v === '0';
  if (type === 'RollingUpdate' && isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
    errs.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

const DS_STATUS_COUNTERS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'observedGeneration'];

/** apps/v1 daemonsets. */
export function daemonSetsResource(): ResourceDefinition {
  return defineResource(daemonSetsInfo(), {
    tracksGeneration: true,
    applyDefaults: defaultDaemonSet,
    prepareForCreate(ds) {
      ds.status = {};
    },
    validateCreate: validateDaemonSet,
    validateUpdate: (ds, old) => [...validateDaemonSet(ds), ...validateSelectorImmutable(ds, old)],
    validateStatusUpdate: (ds) => validateStatusCounters(ds, DS_STATUS_COUNTERS),
  });
}
