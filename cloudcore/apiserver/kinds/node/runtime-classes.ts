import { runtimeClassesInfo } from '../../../../shared/apimachinery/resources/builtin/cluster-classes.js';
import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, str } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateImmutable, validateLabels, validateObjectMeta } from '../common/meta-validation.js';
import { isDNS1123Label, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { validateQuantityMap } from '../core/quantity-fields.js';

/** ValidateRuntimeClass: the handler is a DNS label; overhead quantities; scheduling's node selector. */
function validateRuntimeClass(rc: KubeObject): FieldError[] {
  const errs = validateObjectMeta(rc, { namespaced: false, nameRule: nameIsDNSSubdomain });
  const handler = str(rc.handler);
  for (const msg of isDNS1123Label(handler)) errs.push(invalid('handler', handler, msg));
  errs.push(...validateQuantityMap(asObj(rc.overhead)?.podFixed, 'overhead.podFixed'));
  errs.push(...validateLabels(asObj(rc.scheduling)?.nodeSelector, 'scheduling.nodeSelector'));
  return errs;
}

/** node.k8s.io/v1 runtimeclasses (cluster-scoped): stored and served; edged does not yet pick a handler by class (docs/kinds.md). */
export function runtimeClassesResource(): ResourceDefinition {
  return defineResource(runtimeClassesInfo(), {
    validateCreate: validateRuntimeClass,
    validateUpdate: (rc, old) => [...validateRuntimeClass(rc), ...validateImmutable(rc.handler, old.handler, 'handler')],
  });
}
