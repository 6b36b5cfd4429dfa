import { storageClassesInfo } from '../../../../shared/apimachinery/resources/builtin/cluster-classes.js';
import { forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { str } from '../../../../shared/k8s/object-access.js';
import { equalJson } from '../../../../shared/json/index.js';
import { defineResource } from '../common/define-resource.js';
import { validateImmutable, validateObjectMeta } from '../common/meta-validation.js';
import { isQualifiedName, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

/** ValidateStorageClass: a qualified provisioner name, known reclaim policy and binding mode. */
function validateStorageClass(sc: KubeObject): FieldError[] {
  const errs = validateObjectMeta(sc, { namespaced: false, nameRule: nameIsDNSSubdomain });
  const provisioner = str(sc.provisioner);
  if (provisioner === '') errs.push(required('provisioner'));
  else for (const msg of isQualifiedName(provisioner.toLowerCase())) errs.push(invalid('provisioner', provisioner, msg));
  const policy = str(sc.reclaimPolicy);
  if (!RECLAIM_POLICIES.includes(policy)) errs.push(notSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  const mode = str(sc.volumeBindingMode);
  if (mode === '') errs.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(mode)) errs.push(notSupported('volumeBindingMode', mode, BINDING_MODES));
  for (const key of Object.keys(sc.parameters !== null && typeof sc.parameters === 'object' ? sc.parameters : {})) {
    if (key === '') errs.push(invalid('parameters', '', 'parameter name cannot be empty'));
  }
  return errs;
}

/** ValidateStorageClassUpdate: parameters, provisioner, reclaim policy and binding mode are fixed. */
function validateStorageClassUpdate(sc: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateStorageClass(sc);
  if (!equalJson(sc.parameters ?? {}, old.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutable(sc.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}

/** storage.k8s.io/v1 storageclasses (cluster-scoped): stored and served; no provisioner acts on them (docs/kinds.md). */
export function storageClassesResource(): ResourceDefinition {
  return defineResource(storageClassesInfo(), {
    applyDefaults: (sc) => {
      // SetDefaults_StorageClass.
      if (!sc.reclaimPolicy) sc.reclaimPolicy = 'Delete';
      if (!sc.volumeBindingMode) sc.volumeBindingMode = 'Immediate';
    },
    validateCreate: validateStorageClass,
    validateUpdate: validateStorageClassUpdate,
  });
}
