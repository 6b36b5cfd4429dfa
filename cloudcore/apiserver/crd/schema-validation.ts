import { duplicate, invalid, notSupported, required, type FieldError } from '../../../shared/k8s/field-errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { tooLongDetail } from '../kinds/common/meta-validation.js';
import {
  childPath,
  indexPath,
  isEmbeddedResource,
  isIntOrString,
  itemsOf,
  mapValuesOf,
  propertiesOf,
  type JSONSchemaProps,
} from './json-schema-props.js';
import { matchesSchemaPattern } from './schema-pattern.js';
import { matchesFormat } from './string-formats.js';
import { descend, equalJson, runStepwise, stringifyJson, type Step } from '../../../shared/json/index.js';

/**
 * Validates a custom resource (or any value) against a CRD's structural schema, with the field
 * errors the apiserver turns kube-openapi's results into (apiextensions' ValidateCustomResource):
 * required → Required, enum → NotSupported, maxLength → TooLong, maxItems → TooMany, a wrong type or
 * format → TypeInvalid, anything else → Invalid whose detail is kube-openapi's own sentence, e.g.
 * `spec.size: Invalid value: 30: spec.size in body should be less than or equal to 10`.
 * CEL rules (x-kubernetes-validations) are not evaluated.
 */
export function validateSchemaValue(schema: JSONSchemaProps, value: unknown, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  runStepwise(validateNode(schema, value, path, errs));
  return errs;
}

/** kube-openapi's name for a JSON value's type, as its type errors print it. */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value; // string, boolean
}

/** The subject of kube-openapi's sentences: the path, or nothing at the root. */
const inBody = (path: string, rest: string): string => (path === '' ? rest.trimStart() : `${path} in body ${rest}`);

function typeError(path: string, expected: string, value: unknown): FieldError {
  const actual = jsonTypeName(value);
  return { type: 'FieldValueTypeInvalid', field: path, badValue: actual, detail: inBody(path, `must be of type ${expected}: ${stringifyJson(actual)}`) };
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return true;
  }
}

/* As deep as the schema, which a CRD nests as it likes: through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* validateNode(schema: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): Step<void> {
  if (value === null || value === undefined) {
    if (schema.nullable === true || (schema.type === undefined && !isIntOrString(schema))) return;
    errs.push(typeError(path, isIntOrString(schema) ? 'integer,string' : String(schema.type), null));
    return;
  }
  if (isIntOrString(schema)) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      errs.push(typeError(path, 'integer,string', value));
      return;
    }
  } else if (typeof schema.type === 'string' && !typeMatches(schema.type, value)) {
    errs.push(typeError(path, schema.type, value));
    return;
  }
  validateEnum(schema, value, path, errs);
  if (typeof value === 'number') validateNumber(schema, value, path, errs);
  else if (typeof value === 'string') validateString(schema, value, path, errs);
  else if (Array.isArray(value)) yield* descend(validateArray(schema, value, path, errs));
  else if (isRecord(value)) yield* descend(validateObject(schema, value, path, errs));
}

function validateEnum(schema: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(schema.enum) || schema.enum.length === 0) return;
  if (schema.enum.some((allowed) => equalJson(allowed, value))) return;
  const supported = schema.enum.map((allowed) => (typeof allowed === 'string' ? allowed : stringifyJson(allowed)));
  errs.push(notSupported(path, value, supported));
}

function validateNumber(schema: JSONSchemaProps, value: number, path: string, errs: FieldError[]): void {
  const { maximum, minimum, multipleOf } = schema;
  if (typeof maximum === 'number') {
    if (schema.exclusiveMaximum === true && value >= maximum) errs.push(invalid(path, value, inBody(path, `should be less than ${maximum}`)));
    else if (value > maximum) errs.push(invalid(path, value, inBody(path, `should be less than or equal to ${maximum}`)));
  }
  if (typeof minimum === 'number') {
    if (schema.exclusiveMinimum === true && value <= minimum) errs.push(invalid(path, value, inBody(path, `should be greater than ${minimum}`)));
    else if (value < minimum) errs.push(invalid(path, value, inBody(path, `should be greater than or equal to ${minimum}`)));
  }
  if (typeof multipleOf === 'number' && multipleOf > 0) {
    const ratio = value / multipleOf;
    if (Math.abs(ratio - Math.round(ratio)) > 1e-9) errs.push(invalid(path, value, inBody(path, `should be a multiple of ${multipleOf}`)));
  }
}

function validateString(schema: JSONSchemaProps, value: string, path: string, errs: FieldError[]): void {
  // Lengths count characters (runes), not bytes or UTF-16 units.
  const length = [...value].length;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    errs.push({ type: 'FieldValueTooLong', field: path, detail: tooLongDetail(schema.maxLength) });
  }
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    errs.push(invalid(path, value, inBody(path, `should be at least ${schema.minLength} chars long`)));
  }
  if (typeof schema.pattern === 'string' && !matchesSchemaPattern(schema.pattern, value)) {
    errs.push(invalid(path, value, inBody(path, `should match '${schema.pattern}'`)));
  }
  if (typeof schema.format === 'string' && !matchesFormat(schema.format, value)) {
    errs.push({ type: 'FieldValueTypeInvalid', field: path, badValue: value, detail: inBody(path, `must be of type ${schema.format}: ${stringifyJson(value)}`) });
  }
}

function* validateArray(schema: JSONSchemaProps, value: unknown[], path: string, errs: FieldError[]): Step<void> {
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    // field.TooMany prints the count before its detail: `Too many: 3: must have at most 2 items`.
    errs.push({ type: 'FieldValueTooMany', field: path, detail: `${value.length}: must have at most ${schema.maxItems} items` });
  }
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    errs.push(invalid(path, value.length, inBody(path, `should have at least ${schema.minItems} items`)));
  }
  if (schema.uniqueItems === true && value.some((item, i) => value.slice(0, i).some((other) => equalJson(other, item)))) {
    errs.push(invalid(path, '', inBody(path, "shouldn't contain duplicates")));
  }
  validateListType(schema, value, path, errs);
  const items = itemsOf(schema);
  if (items !== undefined) for (const [i, item] of value.entries()) yield* descend(validateNode(items, item, indexPath(path, i), errs));
}

/** x-kubernetes-list-type set and map: no two entries (or two map keys) alike. */
function validateListType(schema: JSONSchemaProps, value: unknown[], path: string, errs: FieldError[]): void {
  const listType = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'];
  const identity = (item: unknown): unknown => {
    if (listType !== 'map' || !Array.isArray(keys) || !isRecord(item)) return item;
    return Object.fromEntries(keys.map((k) => [k, item[k]]));
  };
  if (listType !== 'set' && listType !== 'map') return;
  const seen: unknown[] = [];
  value.forEach((item, i) => {
    const id = identity(item);
    if (seen.some((other) => equalJson(other, id))) errs.push(duplicate(indexPath(path, i), id));
    else seen.push(id);
  });
}

function* validateObject(schema: JSONSchemaProps, value: Record<string, unknown>, path: string, errs: FieldError[]): Step<void> {
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === 'string' && value[name] === undefined) errs.push(required(childPath(path, name)));
    }
  }
  const count = Object.keys(value).length;
  if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
    errs.push(invalid(path, count, inBody(path, `should have at most ${schema.maxProperties} properties`)));
  }
  if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
    errs.push(invalid(path, count, inBody(path, `should have at least ${schema.minProperties} properties`)));
  }
  if (isEmbeddedResource(schema)) {
    // An embedded object must say what it is (apiextensions' validateEmbeddedResource).
    if (typeof value.apiVersion !== 'string' || value.apiVersion === '') errs.push(required(childPath(path, 'apiVersion'), 'must not be empty'));
    if (typeof value.kind !== 'string' || value.kind === '') errs.push(required(childPath(path, 'kind'), 'must not be empty'));
  }
  for (const [key, child] of propertiesOf(schema)) {
    if (Object.hasOwn(value, key)) yield* descend(validateNode(child, value[key], childPath(path, key), errs));
  }
  const values = mapValuesOf(schema);
  if (values !== undefined) {
    for (const [key, child] of Object.entries(value)) yield* descend(validateNode(values, child, childPath(path, key), errs));
  }
}
