import { nodesInfo } from '../../../../shared/apimachinery/resources/builtin/nodes.js';
import { forbidden, invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isQualifiedName, isValidLabelValue, nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, indexedObjs, str, type Obj } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';
import { validateTaintEffect } from '../pod/pod-spec-validation.js';
import { cloneJson, equalJson } from '../../../../shared/json/index.js';

function validateCidr(value: string, path: string): FieldError[] {
  const m = /^([0-9.]+|[0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  return m === null ? [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')] : [];
}

function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, t] of indexedObjs(taints)) {
    const p = `${path}[${i}]`;
    const key = str(t.key);
    if (key === '') errs.push(required(`${p}.key`));
    else for (const msg of isQualifiedName(key)) errs.push(invalid(`${p}.key`, key, msg));
    for (const msg of isValidLabelValue(str(t.value))) errs.push(invalid(`${p}.value`, str(t.value), msg));
    const effect = str(t.effect);
    if (effect === '') errs.push(required(`${p}.effect`));
    else errs.push(...validateTaintEffect(effect, `${p}.effect`));
    const id = `${key}:${effect}`;
    if (seen.has(id)) errs.push(invalid(p, `${key}:${effect}`, 'taints must be unique by key and effect pair'));
    seen.add(id);
  }
  return errs;
}

function validateNode(node: KubeObject): FieldError[] {
  const spec: Obj = asObj(node.spec) ?? {};
  const errs = validateObjectMeta(node, { namespaced: false, nameRule: nameIsDNSSubdomain });
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  if (str(spec.podCIDR) !== '') errs.push(...validateCidr(str(spec.podCIDR), 'spec.podCIDR'));
  if (Array.isArray(spec.podCIDRs)) spec.podCIDRs.forEach((c, i) => errs.push(...validateCidr(str(c), `spec.podCIDRs[${i}]`)));
  return errs;
}

function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateNode(node);
  const oldCidrs = asObj(old.spec)?.podCIDRs;
  // A pod CIDR may be assigned once (from unset), never changed.
  if (Array.isArray(oldCidrs) && oldCidrs.length > 0 && !equalJson(oldCidrs, asObj(node.spec)?.podCIDRs)) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  return errs;
}

/** core/v1 nodes. */
export function nodesResource(): ResourceDefinition {
  return defineResource(nodesInfo(), {
    applyDefaults(node) {
      // SetDefaults_NodeStatus: allocatable defaults to capacity.
      const status = asObj(node.status);
      if (status !== undefined && status.allocatable === undefined && asObj(status.capacity) !== undefined) {
        status.allocatable = cloneJson(status.capacity);
      }
    },
    validateCreate: validateNode,
    validateUpdate: validateNodeUpdate,
  });
}
