import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { immutableWhenSet } from '../common/meta-validation.js';
import { isConfigMapKey } from '../common/name-rules.js';
import { asObj } from '../../../../shared/k8s/object-access.js';
import { equalJson } from '../../../../shared/json/index.js';

/** core.MaxSecretSize: the cap on a ConfigMap's or Secret's total data. */
export const MAX_DATA_SIZE = 1024 * 1024;

export function validateDataKeys(data: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(asObj(data) ?? {})) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`${path}[${key}]`, key, msg));
  }
  return errs;
}

/** Immutable ConfigMaps and Secrets: data may not change and the flag may not be unset. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, dataFields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(immutableWhenSet('immutable'));
  for (const field of dataFields) {
    if (!equalJson(obj[field] ?? {}, old[field] ?? {})) errs.push(immutableWhenSet(field));
  }
  return errs;
}
