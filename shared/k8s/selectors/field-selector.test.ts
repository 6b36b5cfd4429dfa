import { describe, expect, it } from 'vitest';
import {
  escapeFieldValue,
  fieldSelectorIsEmpty,
  fieldSelectorRequirements,
  formatFieldSelector,
  matchesFields,
  parseFieldSelector,
  type FieldSelector,
} from './index.js';

function parse(text: string): FieldSelector {
  const result = parseFieldSelector(text);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const pod = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'spec.nodeName': 'edge-1', 'status.phase': 'Running' };

describe('parseFieldSelector and matchesFields', () => {
  it('selects everything with an empty string', () => {
    expect(fieldSelectorIsEmpty(parse(''))).toBe(true);
    expect(matchesFields(parse(''), {})).toBe(true);
  });

  it.each([
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name=web-2', false],
    ['metadata.name!=web-2', true],
    ['metadata.name!=web-1', false],
    ['spec.nodeName=edge-1,status.phase!=Succeeded,status.phase!=Failed', true],
    ['spec.nodeName=edge-1,status.phase=Pending', false],
    ['spec.nodeName=', false],
  ])('%s → %s', (text, expected) => {
    expect(matchesFields(parse(text), pod)).toBe(expected);
  });

  it('counts a missing field as the empty string (kubectl describe node events)', () => {
    const selector = parse('involvedObject.kind=Node,involvedObject.name=edge-1,involvedObject.namespace=,involvedObject.uid=u1');
    const event = { 'involvedObject.kind': 'Node', 'involvedObject.name': 'edge-1', 'involvedObject.uid': 'u1' };
    expect(matchesFields(selector, event)).toBe(true);
    expect(matchesFields(selector, { ...event, 'involvedObject.namespace': '' })).toBe(true);
    expect(matchesFields(selector, { ...event, 'involvedObject.namespace': 'default' })).toBe(false);
    expect(matchesFields(parse('spec.nodeName!='), {})).toBe(false);
  });

  it('lists requirements so the API can reject unsupported fields', () => {
    expect(fieldSelectorRequirements(parse('status.phase!=Running,metadata.name==a'))).toEqual([
      { field: 'metadata.name', operator: 'Equals', value: 'a' },
      { field: 'status.phase', operator: 'NotEquals', value: 'Running' },
    ]);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    const selector = parse('metadata.annotation=a\\,b\\=c\\\\d,x=y');
    expect(fieldSelectorRequirements(selector)).toEqual([
      { field: 'metadata.annotation', operator: 'Equals', value: 'a,b=c\\d' },
      { field: 'x', operator: 'Equals', value: 'y' },
    ]);
    expect(formatFieldSelector(selector)).toBe('metadata.annotation=a\\,b\\=c\\\\d,x=y');
    expect(escapeFieldValue('a,b=c\\d')).toBe('a\\,b\\=c\\\\d');
  });

  it('skips empty terms and sorts terms like Kubernetes', () => {
    expect(formatFieldSelector(parse('status.phase!=Failed,,spec.nodeName==edge-1,'))).toBe('spec.nodeName=edge-1,status.phase!=Failed');
  });

  it('rejects malformed selectors with BadRequest', () => {
    expect(parseFieldSelector('metadata.name')).toEqual({
      ok: false,
      code: 'BadRequest',
      message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    });
    expect(parseFieldSelector('a=b=c')).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringContaining('unescaped character') });
    expect(parseFieldSelector('a=b\\x')).toMatchObject({ ok: false, message: 'invalid field selector: invalid escape sequence: \\x' });
    expect(parseFieldSelector('a=b\\')).toMatchObject({ ok: false, code: 'BadRequest' });
  });
});
