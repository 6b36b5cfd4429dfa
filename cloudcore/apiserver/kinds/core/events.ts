import { eventsInfo } from '../../../../shared/apimachinery/resources/builtin/events.js';
import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, str } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';

function validateEvent(event: KubeObject): FieldError[] {
  const errs = validateObjectMeta(event, { namespaced: true, nameRule: nameIsDNSSubdomain });
  const involved = asObj(event.involvedObject) ?? {};
  const involvedNs = str(involved.namespace);
  const ns = str(event.metadata.namespace);
  // Events about cluster-scoped objects live in "default" (or no namespace); others in the object's.
  if (involvedNs === '' ? ns !== '' && ns !== 'default' : involvedNs !== ns) {
    errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  return errs;
}

/** core/v1 events. */
export function eventsResource(): ResourceDefinition {
  return defineResource(eventsInfo(), {
    validateCreate: validateEvent,
  });
}
