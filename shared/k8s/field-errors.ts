import { stringifyJson } from '../json/index.js';

/**
 * Field errors in the shape of k8s.io/apimachinery/pkg/util/validation/field. The API turns a list
 * of them into a 422 Invalid Status whose `details.causes` kubectl prints as
 * `The Pod "bad" is invalid: spec.containers[0].image: Required value`.
 */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound';

export interface FieldError {
  type: FieldErrorType;
  /** Path like `spec.containers[0].image`. */
  field: string;
  /** Extra text, e.g. the regex a name failed. */
  detail?: string;
  badValue?: unknown;
  /** For NotSupported: the accepted values. */
  supported?: readonly string[];
}

function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'null';
  return stringifyJson(value) ?? String(value);
}

/** The error text Kubernetes prints for one field error (without the field path). */
export function fieldErrorMessage(error: FieldError): string {
  switch (error.type) {
    case 'FieldValueRequired':
      return error.detail ? `Required value: ${error.detail}` : 'Required value';
    case 'FieldValueInvalid':
      return `Invalid value: ${quote(error.badValue)}${error.detail ? `: ${error.detail}` : ''}`;
    case 'FieldValueNotSupported': {
      const supported = (error.supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value: ${quote(error.badValue)}${supported ? `: supported values: ${supported}` : ''}`;
    }
    case 'FieldValueDuplicate':
      return `Duplicate value: ${quote(error.badValue)}`;
    case 'FieldValueForbidden':
      return error.detail ? `Forbidden: ${error.detail}` : 'Forbidden';
    case 'FieldValueTooLong':
      return `Too long: ${error.detail ?? 'value is too long'}`;
    case 'FieldValueTooMany':
      return `Too many: ${error.detail ?? 'too many items'}`;
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${quote(error.badValue)}: ${error.detail ?? 'wrong type'}`;
    case 'FieldValueNotFound':
      return `Not found: ${quote(error.badValue)}`;
  }
}

export const required = (field: string, detail?: string): FieldError => ({
  type: 'FieldValueRequired',
  field,
  ...(detail === undefined ? {} : { detail }),
});
export const invalid = (field: string, badValue: unknown, detail?: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  badValue,
  ...(detail === undefined ? {} : { detail }),
});
export const notSupported = (field: string, badValue: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  badValue,
  supported,
});
export const duplicate = (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
/** A reference to something that does not exist, e.g. a volumeMount naming no volume: `Not found: "x"`. */
export const notFound = (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue });
