import { fieldErrorMessage, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import type { ResourceDefinition } from '../types.js';
import { cloneJson } from '../../../../shared/json/index.js';

/** Field errors as kubectl prints them: `spec.containers[0].image: Required value`. */
export function messages(errors: FieldError[]): string[] {
  return errors.map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
}

/** What the create handler does: system fields, then defaults, prepare, validate. */
export function create(def: ResourceDefinition, input: Record<string, unknown>): { obj: KubeObject; errors: string[] } {
  const obj = cloneJson(input) as unknown as KubeObject;
  obj.metadata = { uid: '11111111-2222-3333-4444-555555555555', creationTimestamp: '2025-01-01T00:00:00Z', ...(obj.metadata ?? {}) };
  def.applyDefaults(obj);
  def.prepareForCreate(obj);
  return { obj, errors: messages(def.validateCreate(obj)) };
}
