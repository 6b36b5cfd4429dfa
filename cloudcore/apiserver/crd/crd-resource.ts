import { invalid, type FieldError } from '../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { defineResourceInfo } from '../../../shared/apimachinery/resources/index.js';
import { defineResource } from '../kinds/common/define-resource.js';
import { asObj, childObj, objArray, str } from '../../../shared/k8s/object-access.js';
import { column, nameColumn } from '../../../shared/apimachinery/resources/table-columns.js';
import type { ResourceDefinition } from '../kinds/types.js';
import { CLEANUP_FINALIZER, CRD_GROUP, CRD_RESOURCE } from './crd-types.js';
import { validateCrd } from './crd-validation.js';

/** SetDefaults_CustomResourceDefinition(Spec): singular, listKind and the conversion strategy (printer column priority stays omitted: 0). */
function defaultCrd(crd: KubeObject): void {
  const spec = asObj(crd.spec);
  if (spec === undefined) return;
  const names = asObj(spec.names);
  if (names !== undefined && typeof names.kind === 'string' && names.kind !== '') {
    if (str(names.singular) === '') names.singular = names.kind.toLowerCase();
    if (str(names.listKind) === '') names.listKind = `${names.kind}List`;
  }
  const conversion = childObj(spec, 'conversion');
  if (str(conversion.strategy) === '') conversion.strategy = 'None';
}

/**
 * PrepareForCreate: status starts empty except for the storage version, generation 1, and the
 * cleanup finalizer, which holds a deleted CRD until the CRD controller has deleted its objects.
 */
function prepareCrd(crd: KubeObject): void {
  const storage = objArray(asObj(crd.spec)?.versions).find((v) => v.storage === true);
  crd.status = { storedVersions: storage === undefined ? [] : [str(storage.name)] };
  const finalizers = crd.metadata.finalizers ?? [];
  if (!finalizers.includes(CLEANUP_FINALIZER)) crd.metadata.finalizers = [...finalizers, CLEANUP_FINALIZER];
}

function validateCrdUpdate(crd: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateCrd(crd);
  const scope = str(asObj(crd.spec)?.scope);
  const oldScope = str(asObj(old.spec)?.scope);
  // Objects are stored under a namespaced or cluster-wide key: the scope cannot change under them.
  if (scope !== oldScope) errs.push(invalid('spec.scope', scope, 'field is immutable'));
  return errs;
}

/** apiextensions.k8s.io/v1 customresourcedefinitions: cluster-scoped, with a status subresource. */
export function crdResource(): ResourceDefinition {
  const info = defineResourceInfo({
    group: CRD_GROUP,
    version: 'v1',
    resource: CRD_RESOURCE,
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
    table: {
      // The apiserver's default table: the creation time as a timestamp, not an age.
      columns: [nameColumn(), column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
      cells: (crd) => [crd.metadata.name ?? '', crd.metadata.creationTimestamp ?? ''],
    },
  });
  return defineResource(info, {
    tracksGeneration: true,
    applyDefaults: defaultCrd,
    prepareForCreate: prepareCrd,
    validateCreate: validateCrd,
    validateUpdate: validateCrdUpdate,
  });
}
