import { forbidden, invalid, notSupported, required, type FieldError } from '../../../shared/k8s/field-errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import {
  isIntOrString,
  itemsOf,
  mapValuesOf,
  preservesUnknown,
  propertiesOf,
  propertyOf,
  type JSONSchemaProps,
} from './json-schema-props.js';
import { compileSchemaPattern } from './schema-pattern.js';
import { validateSchemaValue } from './schema-validation.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/**
 * The checks apiextensions makes of an openAPIV3Schema before serving it: it must be structural
 * (every node says its type, unless it is int-or-string or keeps unknown fields), arrays have
 * items, properties and additionalProperties exclude each other, uniqueItems is refused, patterns
 * compile, and defaults pass the schema they sit in. Paths are Kubernetes':
 * `spec.versions[0].schema.openAPIV3Schema.properties[spec].type`.
 */
export function validateOpenApiSchema(schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.type === undefined || schema.type === '') errs.push(required(`${path}.type`, 'must not be empty at the root'));
  else if (schema.type !== 'object') errs.push(invalid(`${path}.type`, schema.type, 'must be object at the root'));
  const metadata = propertyOf(schema, 'metadata');
  if (metadata !== undefined && propertiesOf(metadata).some(([key]) => key !== 'name' && key !== 'generateName')) {
    errs.push(forbidden(`${path}.properties[metadata]`, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  runStepwise(walk(schema, path, 'object fields', errs));
  return errs;
}

/* As deep as the schema, which a CRD nests as it likes: through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* walk(schema: JSONSchemaProps, path: string, context: string, errs: FieldError[]): Step<void> {
  const type = schema.type;
  if (type !== undefined && (typeof type !== 'string' || !TYPES.includes(type))) {
    errs.push(notSupported(`${path}.type`, type, TYPES));
  }
  if ((type === undefined || type === '') && !isIntOrString(schema) && !preservesUnknown(schema)) {
    errs.push(required(`${path}.type`, `must not be empty for specified ${context}`));
  }
  if (isIntOrString(schema) && type !== undefined && type !== '') {
    errs.push(forbidden(`${path}.type`, 'must be empty if x-kubernetes-int-or-string is true'));
  }
  if (typeof schema.$ref === 'string') errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (schema.uniqueItems === true) {
    errs.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  }
  if (schema.properties !== undefined && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (typeof schema.pattern === 'string') {
    // Kubernetes compiles the pattern with Go's regexp (RE2) and quotes its error.
    const compiled = compileSchemaPattern(schema.pattern);
    if (!compiled.ok) errs.push(invalid(`${path}.pattern`, schema.pattern, `must be a valid regular expression, but isn't: ${compiled.reason}`));
  }
  if (schema['x-kubernetes-list-type'] === 'map' && !(Array.isArray(schema['x-kubernetes-list-map-keys']) && schema['x-kubernetes-list-map-keys'].length > 0)) {
    errs.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
  }
  if (type === 'array' && schema.items === undefined) errs.push(required(`${path}.items`, 'must be specified'));
  if (schema.items !== undefined && !isRecord(schema.items)) {
    errs.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  }
  if (schema.default !== undefined) {
    // A default must be valid itself; its errors are reported under `.default`.
    for (const err of validateSchemaValue(schema, schema.default, `${path}.default`)) errs.push(err); // a default may hold 100,000s of bad items: no spread
  }
  if (isRecord(schema.properties)) {
    for (const [key, child] of Object.entries(schema.properties)) {
      if (!isRecord(child)) errs.push(invalid(`${path}.properties[${key}]`, child, 'must be a schema object'));
    }
  }
  for (const [key, child] of propertiesOf(schema)) yield* descend(walk(child, `${path}.properties[${key}]`, 'object fields', errs));
  const values = mapValuesOf(schema);
  if (values !== undefined) yield* descend(walk(values, `${path}.additionalProperties`, 'object fields', errs));
  const items = itemsOf(schema);
  if (items !== undefined) yield* descend(walk(items, `${path}.items`, 'array items', errs));
}
