import { forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { goLabelSelector, goStringMap } from '../common/go-format.js';
import { readLabelSelector } from '../../../../shared/apimachinery/resources/label-selector-text.js';
import { isEmptySelector, selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { validateImmutable, validateNonNegative, validateObjectMeta, validateTemplateMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, stringMap, type Obj } from '../../../../shared/k8s/object-access.js';
import { validatePodSpec } from '../pod/pod-spec-validation.js';

export function workloadSpec(obj: KubeObject): Obj {
  return asObj(obj.spec) ?? {};
}

/** Template labels as Go prints them in "`selector` does not match template `labels`". */
function templateLabels(template: Obj | undefined): Record<string, string> | undefined {
  const labels = asObj(asObj(template?.metadata)?.labels);
  return labels === undefined ? undefined : stringMap(labels);
}

/**
 * The selector and template rules Deployments, ReplicaSets, DaemonSets and StatefulSets share: a non-empty
 * selector is required and must match the template's labels; the template is a valid pod template
 * whose restartPolicy is Always and that has no activeDeadlineSeconds.
 */
export function validateSelectorAndTemplate(obj: KubeObject, kindWord: 'deployment' | 'daemonset' | 'statefulset'): FieldError[] {
  const spec = workloadSpec(obj);
  const errs: FieldError[] = [];
  const selector = readLabelSelector(spec.selector);
  if (selector === undefined) {
    errs.push(required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (isEmptySelector(selector)) errs.push(invalid('spec.selector', goLabelSelector(selector), `empty selector is invalid for ${kindWord}`));
  }
  const template = asObj(spec.template);
  if (template === undefined) return [...errs, required('spec.template')];
  // A nil selector selects nothing, so it never matches; an empty one is reported above instead.
  if (selector === undefined || !isEmptySelector(selector)) {
    const labels = templateLabels(template);
    if (!selectorMatches(selector, labels ?? {})) {
      errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validateTemplateMeta(template.metadata, 'spec.template.metadata'));
  const podSpec = asObj(template.spec);
  errs.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  const restartPolicy = podSpec?.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (podSpec?.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    const kind = kindWord === 'daemonset' ? 'DaemonSet' : kindWord === 'statefulset' ? 'StatefulSet' : 'ReplicaSet';
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

export function validateWorkloadMeta(obj: KubeObject): FieldError[] {
  return validateObjectMeta(obj, { namespaced: true, nameRule: nameIsDNSSubdomain });
}

export function validateReplicas(obj: KubeObject): FieldError[] {
  return validateNonNegative(workloadSpec(obj).replicas, 'spec.replicas');
}

/** apps/v1: the selector may not change after creation. */
export function validateSelectorImmutable(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = workloadSpec(obj).selector;
  const selector = readLabelSelector(next);
  return validateImmutable(next, workloadSpec(old).selector, 'spec.selector', selector === undefined ? null : goLabelSelector(selector));
}

/** Non-negative counters in a workload status. */
export function validateStatusCounters(obj: KubeObject, fields: string[]): FieldError[] {
  const status = asObj(obj.status) ?? {};
  return fields.flatMap((f) => validateNonNegative(status[f], `status.${f}`));
}
