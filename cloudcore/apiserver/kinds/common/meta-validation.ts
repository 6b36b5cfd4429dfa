import { forbidden, invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, str } from '../../../../shared/k8s/object-access.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from './name-rules.js';
import { equalJson } from '../../../../shared/json/index.js';
import { shownValue } from '../../../../shared/apimachinery/errors/shown-value.js';

/** Kubernetes' cap on the summed size of all annotation keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Kubernetes' TooLong detail text (1.32). */
export function tooLongDetail(max: number): string {
  return `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`;
}

export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const map = asObj(labels);
  if (map === undefined) return errs;
  for (const [key, value] of Object.entries(map)) {
    for (const msg of isQualifiedName(key)) errs.push(invalid(path, key, msg));
    const text = shownValue(value, Number.MAX_SAFE_INTEGER); // a body's label value can be an object whose toString is not a function
    for (const msg of isValidLabelValue(text)) errs.push(invalid(path, text, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const map = asObj(annotations);
  if (map === undefined) return errs;
  let size = 0;
  for (const [key, value] of Object.entries(map)) {
    // Annotation keys follow the qualified-name rule, case-insensitively.
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(path, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(str(value));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push({ type: 'FieldValueTooLong', field: path, detail: tooLongDetail(TOTAL_ANNOTATION_SIZE_LIMIT) });
  return errs;
}

export interface MetaRules {
  namespaced: boolean;
  nameRule: NameValidator;
}

/** ValidateObjectMeta: name (or generateName), namespace, labels, annotations, finalizers. */
export function validateObjectMeta(obj: KubeObject, rules: MetaRules, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj.metadata ?? {};
  const name = str(meta.name);
  const generateName = str(meta.generateName);
  if (generateName !== '') {
    for (const msg of rules.nameRule(generateName, true)) errs.push(invalid(`${path}.generateName`, generateName, msg));
  }
  if (name === '') {
    if (generateName === '') errs.push(required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of rules.nameRule(name, false)) errs.push(invalid(`${path}.name`, name, msg));
  }
  if (rules.namespaced) {
    const namespace = str(meta.namespace);
    if (namespace === '') errs.push(required(`${path}.namespace`));
    else for (const msg of isDNS1123Label(namespace)) errs.push(invalid(`${path}.namespace`, namespace, msg));
  }
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return errs;
}

export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errs;
  finalizers.forEach((f, i) => {
    const name = str(f);
    for (const msg of isQualifiedName(name)) errs.push(invalid(`${path}[${i}]`, name, msg));
  });
  return errs;
}

/** Template metadata (spec.template.metadata): only labels and annotations matter. */
export function validateTemplateMeta(meta: unknown, path: string): FieldError[] {
  const m = asObj(meta);
  if (m === undefined) return [];
  return [...validateLabels(m.labels, `${path}.labels`), ...validateAnnotations(m.annotations, `${path}.annotations`)];
}

/** ValidateImmutableField: `field is immutable` when the value changed. `shown` is the bad value to print. */
export function validateImmutable(next: unknown, prev: unknown, path: string, shown: unknown = next): FieldError[] {
  return equalJson(next, prev) ? [] : [invalid(path, shown, 'field is immutable')];
}

export function validateNonNegative(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

export function validatePositive(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && value <= 0 ? [invalid(path, value, 'must be greater than 0')] : [];
}

export function immutableWhenSet(path: string, detail = 'field is immutable when `immutable` is set'): FieldError {
  return forbidden(path, detail);
}

/** Drops exact repeats, as the API's aggregate of field errors does. */
export function dedupeErrors(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const key = `${e.type}\u0000${e.field}\u0000${e.detail ?? ''}\u0000${typeof e.badValue}\u0000${shownValue(e.badValue, Number.MAX_SAFE_INTEGER)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
