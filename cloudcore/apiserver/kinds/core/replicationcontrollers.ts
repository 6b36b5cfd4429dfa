import { replicationControllersInfo } from '../../../../shared/apimachinery/resources/builtin/replicationcontrollers.js';
import { invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, childObj, stringMap } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { goStringMap } from '../common/go-format.js';
import { validateLabels, validateTemplateMeta } from '../common/meta-validation.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';
import { validatePodSpec } from '../pod/pod-spec-validation.js';
import type { ResourceDefinition } from '../types.js';
import { validateReplicas, validateStatusCounters, validateWorkloadMeta, workloadSpec } from '../apps/workload-validation.js';

/** SetDefaults_ReplicationController: selector and labels from the template's labels, one replica. */
function defaultReplicationController(rc: KubeObject): void {
  const spec = childObj(rc, 'spec');
  const templateLabels = stringMap(asObj(asObj(spec.template)?.metadata)?.labels);
  if (Object.keys(stringMap(spec.selector)).length === 0 && Object.keys(templateLabels).length > 0) spec.selector = { ...templateLabels };
  if (Object.keys(rc.metadata.labels ?? {}).length === 0 && Object.keys(templateLabels).length > 0) rc.metadata.labels = { ...templateLabels };
  if (typeof spec.replicas !== 'number') spec.replicas = 1;
  if (asObj(spec.template) !== undefined) defaultTemplate(rc);
}

/** ValidateReplicationController: a non-empty selector matching the template's labels, and a valid pod template. */
function validateReplicationController(rc: KubeObject): FieldError[] {
  const errs = [...validateWorkloadMeta(rc), ...validateReplicas(rc)];
  const spec = workloadSpec(rc);
  const selector = stringMap(spec.selector);
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  else errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const template = asObj(spec.template);
  if (template === undefined) return [...errs, required('spec.template')];
  const labels = stringMap(asObj(template.metadata)?.labels);
  if (Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
    errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validateTemplateMeta(template.metadata, 'spec.template.metadata'));
  errs.push(...validatePodSpec(asObj(template.spec), 'spec.template.spec'));
  return errs;
}

/** core/v1 replicationcontrollers: stored and served (kubectl's default prune allowlist lists them); no controller runs them (docs/services.md § Pruning). */
export function replicationControllersResource(): ResourceDefinition {
  return defineResource(replicationControllersInfo(), {
    tracksGeneration: true,
    applyDefaults: defaultReplicationController,
    prepareForCreate(rc) {
      rc.status = { replicas: 0 };
    },
    validateCreate: validateReplicationController,
    validateStatusUpdate: (rc) => validateStatusCounters(rc, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
  });
}
