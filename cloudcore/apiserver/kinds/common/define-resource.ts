import type { ResourceInfo } from '../../../../shared/apimachinery/resources/index.js';
import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import type { ApiError } from '../../../../shared/apimachinery/errors/status.js';
import type { UserInfo } from '../../auth/authenticate.js';
import type { StoredAs } from '../../registry/object-store.js';
import type { ResourceDefinition, ScaleSpec, UpdateAttempt } from '../types.js';
import { dedupeErrors } from './meta-validation.js';

/** What a kind's strategy states; everything else takes the common default. `scale` goes with info.subresources.scale. */
export interface StrategySpec {
  scale?: ScaleSpec;
  storedAs?: StoredAs;
  tracksGeneration?: boolean;
  applyDefaults?: (obj: KubeObject) => void;
  prepareForCreate?: (obj: KubeObject, requester?: UserInfo) => void;
  admitCreate?: (obj: KubeObject, requester: UserInfo | undefined) => ApiError | undefined;
  admitUpdate?: (attempt: UpdateAttempt) => ApiError | undefined;
  prepareForUpdate?: (obj: KubeObject, old: KubeObject) => void;
  validateCreate: (obj: KubeObject) => FieldError[];
  validateUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[];
  validateStatusUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[];
}

const noop = (): void => undefined;

/**
 * Builds a ResourceDefinition from the kind's shared information and its strategy. Validation
 * results are de-duplicated (the apiserver's error aggregate does the same), and an update is by
 * default validated as a create of the new object.
 */
export function defineResource(info: ResourceInfo, spec: StrategySpec): ResourceDefinition {
  const validateCreate = spec.validateCreate;
  const validateUpdate = spec.validateUpdate ?? ((obj: KubeObject) => validateCreate(obj));
  const validateStatusUpdate = spec.validateStatusUpdate ?? (() => []);
  return {
    ...info,
    ...(spec.scale === undefined ? {} : { scale: spec.scale }),
    ...(spec.storedAs === undefined ? {} : { storedAs: spec.storedAs }),
    ...(spec.admitCreate === undefined ? {} : { admitCreate: spec.admitCreate }),
    ...(spec.admitUpdate === undefined ? {} : { admitUpdate: spec.admitUpdate }),
    ...(spec.prepareForUpdate === undefined ? {} : { prepareForUpdate: spec.prepareForUpdate }),
    tracksGeneration: spec.tracksGeneration ?? false,
    applyDefaults: spec.applyDefaults ?? noop,
    prepareForCreate: spec.prepareForCreate ?? noop,
    validateCreate: (obj) => dedupeErrors(validateCreate(obj)),
    validateUpdate: (obj, old) => dedupeErrors(validateUpdate(obj, old)),
    validateStatusUpdate: (obj, old) => dedupeErrors(validateStatusUpdate(obj, old)),
  };
}
