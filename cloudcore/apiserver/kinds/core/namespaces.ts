import { namespacesInfo } from '../../../../shared/apimachinery/resources/builtin/namespaces.js';
import { notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateFinalizers, validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSLabel } from '../common/name-rules.js';
import { asObj, childObj, str } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';

const PHASES = ['Active', 'Terminating'];

/** SetDefaults_Namespace: the kubernetes.io/metadata.name label mirrors the name. */
function defaultNamespace(ns: KubeObject): void {
  const name = ns.metadata.name;
  if (typeof name === 'string' && name !== '') ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  const status = childObj(ns, 'status');
  if (str(status.phase) === '') status.phase = 'Active';
}

/** PrepareForCreate: status Active, and the "kubernetes" finalizer that namespace deletion waits on. */
function prepareNamespace(ns: KubeObject): void {
  ns.status = { phase: 'Active' };
  const spec = childObj(ns, 'spec');
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.map((f) => str(f)) : [];
  if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
  spec.finalizers = finalizers;
}

function validateNamespace(ns: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(ns, { namespaced: false, nameRule: nameIsDNSLabel }),
    ...validateFinalizers(asObj(ns.spec)?.finalizers, 'spec.finalizers'),
  ];
}

function validateNamespaceStatus(ns: KubeObject): FieldError[] {
  const phase = str(asObj(ns.status)?.phase);
  return phase === '' || PHASES.includes(phase) ? [] : [notSupported('status.phase', phase, PHASES)];
}

/** core/v1 namespaces. */
export function namespacesResource(): ResourceDefinition {
  return defineResource(namespacesInfo(), {
    applyDefaults: defaultNamespace,
    prepareForCreate: prepareNamespace,
    validateCreate: validateNamespace,
    validateStatusUpdate: validateNamespaceStatus,
  });
}
