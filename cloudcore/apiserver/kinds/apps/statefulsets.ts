import { statefulSetsInfo } from '../../../../shared/apimachinery/resources/builtin/statefulsets.js';
import { forbidden, invalid, notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, childObj, str } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateNonNegative } from '../common/meta-validation.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';
import type { ResourceDefinition } from '../types.js';
import { replicaScale } from './replica-scale.js';
import { validateReplicas, validateSelectorAndTemplate, validateSelectorImmutable, validateStatusCounters, validateWorkloadMeta, workloadSpec } from './workload-validation.js';
import { equalJson } from '../../../../shared/json/index.js';

/** Until Outpost has persistent volumes, a StatefulSet that asks for claims is refused (docs/statefulsets.md § Volumes). */
export const VOLUME_CLAIM_TEMPLATES_UNSUPPORTED = 'volumeClaimTemplates are not supported yet: Outpost has no persistent volumes';

/**
 * SetDefaults_StatefulSet (apps/v1): OrderedReady, RollingUpdate with partition 0, Retain/Retain
 * claim retention, 1 replica, history 10 (docs/statefulsets.md § Defaults).
 */
export function defaultStatefulSet(sts: KubeObject): void {
  const spec = childObj(sts, 'spec');
  if (str(spec.podManagementPolicy) === '') spec.podManagementPolicy = 'OrderedReady';
  const strategy = childObj(spec, 'updateStrategy');
  if (str(strategy.type) === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = childObj(strategy, 'rollingUpdate');
    if (typeof rolling.partition !== 'number') rolling.partition = 0;
  }
  const retention = childObj(spec, 'persistentVolumeClaimRetentionPolicy');
  if (str(retention.whenDeleted) === '') retention.whenDeleted = 'Retain';
  if (str(retention.whenScaled) === '') retention.whenScaled = 'Retain';
  if (typeof spec.replicas !== 'number') spec.replicas = 1;
  if (typeof spec.revisionHistoryLimit !== 'number') spec.revisionHistoryLimit = 10;
  defaultTemplate(sts);
}

function validateUpdateStrategy(spec: Record<string, unknown>): FieldError[] {
  const strategy = asObj(spec.updateStrategy) ?? {};
  const type = str(strategy.type);
  const rolling = strategy.rollingUpdate;
  if (type === 'OnDelete') {
    return rolling === undefined || rolling === null ? [] : [invalid('spec.updateStrategy.rollingUpdate', rolling, "only allowed for updateStrategy 'RollingUpdate'")];
  }
  if (type === 'RollingUpdate') return validateNonNegative(asObj(rolling)?.partition, 'spec.updateStrategy.rollingUpdate.partition');
  return [invalid('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'")];
}

function validateRetention(spec: Record<string, unknown>): FieldError[] {
  const retention = asObj(spec.persistentVolumeClaimRetentionPolicy) ?? {};
  return (['whenDeleted', 'whenScaled'] as const).flatMap((field) => {
    const value = str(retention[field]);
    return value === 'Retain' || value === 'Delete' ? [] : [notSupported(`spec.persistentVolumeClaimRetentionPolicy.${field}`, value, ['Retain', 'Delete'])];
  });
}

/** ValidateStatefulSetSpec, in its order and with its messages. */
function validateStatefulSet(sts: KubeObject): FieldError[] {
  const spec = workloadSpec(sts);
  const errs = validateWorkloadMeta(sts);
  const policy = str(spec.podManagementPolicy);
  if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(spec));
  errs.push(...validateReplicas(sts));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(sts, 'statefulset'));
  errs.push(...validateRetention(spec));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...validateNonNegative(asObj(spec.ordinals)?.start, 'spec.ordinals.start'));
  const claims = spec.volumeClaimTemplates;
  if (Array.isArray(claims) && claims.length > 0) errs.push(forbidden('spec.volumeClaimTemplates', VOLUME_CLAIM_TEMPLATES_UNSUPPORTED));
  return errs;
}

/** The spec fields an update may change; Kubernetes forbids changing any other (ValidateStatefulSetUpdate). */
const MUTABLE_SPEC_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function validateSpecUpdate(sts: KubeObject, old: KubeObject): FieldError[] {
  const strip = (obj: KubeObject): Record<string, unknown> => {
    const copy = { ...workloadSpec(obj) };
    for (const field of MUTABLE_SPEC_FIELDS) delete copy[field];
    return copy;
  };
  if (equalJson(strip(sts), strip(old))) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

const STS_STATUS_COUNTERS = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration'];

/** apps/v1 statefulsets, with status and scale subresources. */
export function statefulSetsResource(): ResourceDefinition {
  return defineResource(statefulSetsInfo(), {
    scale: replicaScale,
    tracksGeneration: true,
    applyDefaults: defaultStatefulSet,
    prepareForCreate(sts) {
      sts.status = {};
    },
    validateCreate: validateStatefulSet,
    validateUpdate: (sts, old) => [...validateStatefulSet(sts), ...validateSelectorImmutable(sts, old), ...validateSpecUpdate(sts, old)],
    validateStatusUpdate: (sts) => validateStatusCounters(sts, STS_STATUS_COUNTERS),
  });
}
