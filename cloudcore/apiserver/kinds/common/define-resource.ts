import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import type { ResourceDefinition, ScaleSpec, TableSpec } from '../types.js';
import { dedupeErrors } from './meta-validation.js';

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** What a kind file states; everything else takes the common default. */
export interface ResourceSpec {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  status?: boolean;
  scale?: ScaleSpec;
  tracksGeneration?: boolean;
  applyDefaults?: (obj: KubeObject) => void;
  prepareForCreate?: (obj: KubeObject) => void;
  validateCreate: (obj: KubeObject) => FieldError[];
  validateUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[];
  validateStatusUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[];
  table: TableSpec;
  selectableFields?: (obj: KubeObject) => Record<string, string>;
}

const noop = (): void => undefined;

/**
 * Builds a ResourceDefinition. Validation results are de-duplicated (the apiserver's error
 * aggregate does the same), and an update is by default validated as a create of the new object.
 */
export function defineResource(spec: ResourceSpec): ResourceDefinition {
  const validateCreate = spec.validateCreate;
  const validateUpdate = spec.validateUpdate ?? ((obj: KubeObject) => validateCreate(obj));
  const validateStatusUpdate = spec.validateStatusUpdate ?? (() => []);
  return {
    group: spec.group,
    version: spec.version,
    resource: spec.resource,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? STANDARD_VERBS,
    subresources: { status: spec.status ?? false, ...(spec.scale === undefined ? {} : { scale: spec.scale }) },
    tracksGeneration: spec.tracksGeneration ?? false,
    applyDefaults: spec.applyDefaults ?? noop,
    prepareForCreate: spec.prepareForCreate ?? noop,
    validateCreate: (obj) => dedupeErrors(validateCreate(obj)),
    validateUpdate: (obj, old) => dedupeErrors(validateUpdate(obj, old)),
    validateStatusUpdate: (obj, old) => dedupeErrors(validateStatusUpdate(obj, old)),
    table: spec.table,
    selectableFields: spec.selectableFields ?? (() => ({})),
  };
}
