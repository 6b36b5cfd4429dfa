import { describe, expect, it } from 'vitest';
import { selectorMatches } from './label-selector.js';
import { goLabelSelector, goStringMap } from './go-format.js';
import { isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './name-rules.js';
import { fieldErrorMessage, invalid } from '../../../../shared/k8s/field-errors.js';

describe('name rules', () => {
  it('uses the exact RFC 1123 subdomain text', () => {
    expect(isDNS1123Subdomain('Bad_Name')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isDNS1123Subdomain('a.b-c')).toEqual([]);
    expect(isDNS1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
  });

  it('uses the exact RFC 1123 label and DNS-1035 texts', () => {
    expect(isDNS1123Label('a.b')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label('a'.repeat(64))[0]).toBe('must be no more than 63 characters');
    expect(isDNS1035Label('1abc')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('checks label keys, values and config keys', () => {
    expect(isQualifiedName('example.com/app')).toEqual([]);
    expect(isQualifiedName('-bad')[0]).toMatch(/^name part must consist of alphanumeric characters/);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist/);
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('bad value')[0]).toMatch(/^a valid label must be an empty string/);
    expect(isConfigMapKey('ok.key_1')).toEqual([]);
    expect(isConfigMapKey('bad/key')).toEqual([
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
    expect(isConfigMapKey('..x')).toEqual(["must not start with '..'"]);
  });
});

describe('selectors', () => {
  it('matches labels', () => {
    expect(selectorMatches({ matchLabels: { app: 'x' } }, { app: 'x', other: 'y' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'In', values: ['a'] }] }, { env: 'b' })).toBe(false);
    expect(selectorMatches(undefined, {})).toBe(false);
  });

  it('prints bad values the way Go does', () => {
    expect(fieldErrorMessage(invalid('f', goStringMap({ b: '2', a: '1' }), 'x'))).toBe('Invalid value: map[string]string{"a":"1", "b":"2"}: x');
    expect(fieldErrorMessage(invalid('f', goLabelSelector({ matchLabels: { app: 'b' } }), 'field is immutable'))).toBe(
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });
});
