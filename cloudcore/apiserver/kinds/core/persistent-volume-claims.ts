import { persistentVolumeClaimsInfo } from '../../../../shared/apimachinery/resources/builtin/volumes.js';
import { forbidden, invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, childObj, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { equalJson } from '../../../../shared/json/index.js';
import { defineResource } from '../common/define-resource.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../common/name-rules.js';
import { parseQuantity } from '../common/quantity.js';
import type { ResourceDefinition } from '../types.js';
import { quantityText, validateQuantityMap } from './quantity-fields.js';
import { validateAccessModes, validateVolumeMode } from './volume-access.js';

function storageRequest(spec: Obj): unknown {
  return asObj(asObj(spec.resources)?.requests)?.storage;
}

/** ValidatePersistentVolumeClaimSpec: access modes, a positive storage request, class, mode, selector. */
function validateClaim(pvc: KubeObject): FieldError[] {
  const spec = asObj(pvc.spec) ?? {};
  const errs = validateObjectMeta(pvc, { namespaced: true, nameRule: nameIsDNSSubdomain });
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', 'at least 1 access mode is required'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const resources = asObj(spec.resources) ?? {};
  errs.push(...validateQuantityMap(resources.requests, 'spec.resources.requests'), ...validateQuantityMap(resources.limits, 'spec.resources.limits'));
  const storage = storageRequest(spec);
  if (storage === undefined) errs.push(required('spec.resources[storage]'));
  else if ((parseQuantity(storage) ?? 1) <= 0) errs.push(invalid('spec.resources[storage]', quantityText(storage), 'must be greater than zero'));
  const className = spec.storageClassName;
  if (typeof className === 'string' && className !== '') {
    for (const msg of isDNS1123Subdomain(className)) errs.push(invalid('spec.storageClassName', className, msg));
  }
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  return errs;
}

/**
 * ValidatePersistentVolumeClaimUpdate: the spec is immutable, except that volumeName may be set
 * once (binding), the storage request of a bound claim may grow, and volumeAttributesClassName
 * may change.
 */
function validateClaimUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateClaim(pvc);
  const next = structuredClone(asObj(pvc.spec) ?? {});
  const prev = structuredClone(asObj(old.spec) ?? {});
  if (str(prev.volumeName) === '') {
    delete next.volumeName;
    delete prev.volumeName;
  }
  delete next.volumeAttributesClassName;
  delete prev.volumeAttributesClassName;
  const bound = str(asObj(pvc.status)?.phase) === 'Bound';
  const newSize = parseQuantity(storageRequest(next));
  const oldSize = parseQuantity(storageRequest(prev));
  if (bound) {
    for (const spec of [next, prev]) delete asObj(asObj(spec.resources)?.requests)?.storage;
  }
  if (!equalJson(next, prev)) {
    errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  if (bound && newSize !== undefined && oldSize !== undefined && newSize < oldSize) {
    errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return errs;
}

/** core/v1 persistentvolumeclaims: stored and served; nothing binds or provisions them yet (docs/kinds.md). */
export function persistentVolumeClaimsResource(): ResourceDefinition {
  return defineResource(persistentVolumeClaimsInfo(), {
    applyDefaults: (pvc) => {
      // SetDefaults_PersistentVolumeClaimSpec.
      const spec = childObj(pvc, 'spec');
      if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
    },
    prepareForCreate: (pvc) => {
      // SetDefaults_PersistentVolumeClaim: a claim nothing has bound is Pending.
      pvc.status = { phase: 'Pending' };
    },
    validateCreate: validateClaim,
    validateUpdate: validateClaimUpdate,
    validateStatusUpdate: (pvc) => validateQuantityMap(asObj(pvc.status)?.capacity, 'status.capacity'),
  });
}
