import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../../shared/k8s/field-errors.js';
import type { JSONSchemaProps } from './json-schema-props.js';
import { validateSchemaValue } from './schema-validation.js';

const schema: JSONSchemaProps = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', minimum: 0, maximum: 1, exclusiveMaximum: true, exclusiveMinimum: true },
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        mode: { type: 'string', enum: ['fast', 'slow'] },
        optional: { type: 'string', nullable: true },
        when: { type: 'string', format: 'date-time' },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
        set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
        items: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, weight: { type: 'integer', maximum: 5 } } } },
        raw: { 'x-kubernetes-preserve-unknown-fields': true },
        embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

function messages(value: unknown): string[] {
  return validateSchemaValue(schema, value).map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
}

const spec = (fields: Record<string, unknown>) => ({ spec: { size: 3, ...fields } });

describe('validateSchemaValue', () => {
  it('accepts a valid object', () => {
    expect(messages(spec({ ratio: 0.5, name: 'abc', mode: 'fast', optional: null, when: '2024-05-01T10:00:00Z', port: 'http', tags: ['a'], labels: { a: 'x' }, items: [{ name: 'n' }], raw: { any: [1] }, embedded: { apiVersion: 'v1', kind: 'Pod', x: 1 } }))).toEqual([]);
    expect(messages(spec({ port: 8080 }))).toEqual([]);
  });

  it('reports bounds with kube-openapi sentences', () => {
    expect(messages(spec({ size: 30 }))).toEqual(['spec.size: Invalid value: 30: spec.size in body should be less than or equal to 10']);
    expect(messages(spec({ size: 0 }))).toEqual(['spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1']);
    expect(messages(spec({ ratio: 1 }))).toEqual(['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1']);
    expect(messages(spec({ ratio: 0 }))).toEqual(['spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0']);
  });

  it('reports required fields, types and enums', () => {
    expect(messages({})).toEqual(['spec: Required value']);
    expect(messages({ spec: {} })).toEqual(['spec.size: Required value']);
    expect(messages(spec({ size: 'big' }))).toEqual(['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"']);
    expect(messages(spec({ size: 2.5 }))).toEqual(['spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"']);
    expect(messages(spec({ mode: 'medium' }))).toEqual(['spec.mode: Unsupported value: "medium": supported values: "fast", "slow"']);
    expect(messages(spec({ mode: null }))).toEqual(['spec.mode: Invalid value: "null": spec.mode in body must be of type string: "null"']);
    expect(messages(spec({ port: true }))).toEqual(['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']);
  });

  it('reports string rules', () => {
    expect(messages(spec({ name: 'abcdefg' }))).toEqual(['spec.name: Too long: may not be more than 5 bytes']);
    expect(messages(spec({ name: 'a' }))).toEqual(['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']);
    expect(messages(spec({ name: 'AB' }))).toEqual(["spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"]);
    expect(messages(spec({ when: 'yesterday' }))).toEqual(['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']);
  });

  it('reports array and map rules with full paths', () => {
    expect(messages(spec({ tags: ['a', 'b', 'c'] }))).toEqual(['spec.tags: Too many: 3: must have at most 2 items']);
    expect(messages(spec({ tags: [] }))).toEqual(['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items']);
    expect(messages(spec({ set: ['a', 'a'] }))).toEqual(['spec.set[1]: Duplicate value: "a"']);
    expect(messages(spec({ items: [{ name: 'a' }, { weight: 9 }] }))).toEqual([
      'spec.items[1].name: Required value',
      'spec.items[1].weight: Invalid value: 9: spec.items[1].weight in body should be less than or equal to 5',
    ]);
    expect(messages(spec({ labels: { k: 'long' } }))).toEqual(['spec.labels.k: Too long: may not be more than 3 bytes']);
  });

  it('requires apiVersion and kind in an embedded resource', () => {
    expect(messages(spec({ embedded: { x: 1 } }))).toEqual([
      'spec.embedded.apiVersion: Required value: must not be empty',
      'spec.embedded.kind: Required value: must not be empty',
    ]);
  });
});
