import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  labelSelectorFromMap,
  labelSelectorFromObject,
  matchesLabels,
  parseLabelSelector,
  selectorIsEmpty,
  type LabelSelector,
} from './index.js';

function parse(text: string): LabelSelector {
  const result = parseLabelSelector(text);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const web = { app: 'web', tier: 'fe', 'app.kubernetes.io/name': 'shop', replicas: '3' };

describe('parseLabelSelector and matchesLabels', () => {
  it('selects everything with an empty or blank string', () => {
    for (const text of ['', '   ']) {
      const selector = parse(text);
      expect(selectorIsEmpty(selector)).toBe(true);
      expect(matchesLabels(selector, undefined)).toBe(true);
      expect(matchesLabels(selector, web)).toBe(true);
    }
  });

  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (api,web)', true],
    ['app in (api)', false],
    ['app notin (api)', true],
    ['app notin (web,api)', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app>1', false],
    ['app=web,tier=fe', true],
    ['app=web,tier=be', false],
    ['app.kubernetes.io/name=shop', true],
    ['  app = web ,  tier in ( fe , be ) , !gone ', true],
    // Unlike field selectors, an equality on labels needs the label to be there.
    ['missing=', false],
  ])('%s → %s', (text, expected) => {
    expect(matchesLabels(parse(text), web)).toBe(expected);
  });

  it('matches an empty value only on a label that is present and empty', () => {
    expect(matchesLabels(parse('blank='), { blank: '' })).toBe(true);
    expect(matchesLabels(parse('blank!='), {})).toBe(true);
  });

  it('treats in and notin as values, and keys named like the keywords', () => {
    expect(matchesLabels(parse('mode=in'), { mode: 'in' })).toBe(true);
    expect(matchesLabels(parse('mode in (in,notin)'), { mode: 'notin' })).toBe(true);
  });

  it('accepts empty values in a set, as Kubernetes does', () => {
    expect(parse('a in (x,)').requirements[0]?.values).toEqual(['', 'x']);
    expect(matchesLabels(parse('a in (,)'), { a: '' })).toBe(true);
  });

  it('prints the canonical form sorted by key with sorted sets', () => {
    expect(formatLabelSelector(parse('tier in (b, a, b),app=web,!x,y, z notin (q), n==1, m!=2, r>1, s<5'))).toBe(
      'app=web,m!=2,n==1,r>1,s<5,tier in (a,b),!x,y,z notin (q)',
    );
  });

  it.each([
    ['app=', true],
    ['=web', false],
    ['app in x', false],
    ['app in (x', false],
    ['app in ()', false],
    ['app foo web', false],
    ['app=web,', false],
    ['app=web tier=fe', false],
    ['app=a=b', false],
    ['!app=web', false],
    ['a b', false],
    ['app~web', false],
    ['replicas>x', false],
  ])('syntax of %s (valid: %s)', (text, valid) => {
    const result = parseLabelSelector(text);
    expect(result.ok).toBe(valid);
    if (!result.ok) {
      expect(result.code).toBe('BadRequest');
      expect(result.message).toMatch(/^unable to parse requirement: /);
    }
  });

  it('explains syntax errors like Kubernetes', () => {
    expect(parseLabelSelector('app foo web')).toMatchObject({
      message: "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt",
    });
    expect(parseLabelSelector('app in ()')).toMatchObject({
      message: 'unable to parse requirement: values: Invalid value: []: for \'in\', \'notin\' operators, values set can\'t be empty',
    });
    expect(parseLabelSelector('app=web,')).toMatchObject({
      message: "unable to parse requirement: found '', expected: identifier after ','",
    });
  });

  it('validates keys', () => {
    const longName = 'a'.repeat(64);
    for (const key of ['-app', 'app-', 'a b', `${longName}`, 'Example.com/app', '/app', 'a/b/c', 'example.com/', 'ex_ample.com/app']) {
      const result = parseLabelSelector(`${key}=x`);
      expect(result, key).toMatchObject({ ok: false, code: 'BadRequest' });
    }
    expect(parseLabelSelector(`${longName}=x`)).toMatchObject({
      message: expect.stringContaining('name part must be no more than 63 characters'),
    });
    for (const key of ['a', 'A_b.c-9', 'example.com/My_Name', 'k8s.io/x', 'a'.repeat(63)]) {
      expect(parseLabelSelector(`${key}=x`).ok, key).toBe(true);
    }
  });

  it('validates values', () => {
    for (const value of ['-x', 'x-', 'a/b', 'v'.repeat(64)]) {
      expect(parseLabelSelector(`app=${value}`), value).toMatchObject({ ok: false, code: 'BadRequest' });
      expect(parseLabelSelector(`app in (ok,${value})`), value).toMatchObject({ ok: false, code: 'BadRequest' });
    }
    expect(parseLabelSelector('app=-x')).toMatchObject({ message: expect.stringContaining('a valid label must be an empty string') });
    for (const value of ['', 'Web_1.2-x', 'v'.repeat(63)]) expect(parseLabelSelector(`app=${value}`).ok, value).toBe(true);
  });
});

describe('labelSelectorFromObject', () => {
  it('turns matchLabels and matchExpressions into requirements', () => {
    const result = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'gpu', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(formatLabelSelector(result.value)).toBe('app=web,env notin (dev),gpu,!legacy,tier in (a,b)');
    expect(matchesLabels(result.value, { app: 'web', tier: 'a', gpu: '' })).toBe(true);
    expect(matchesLabels(result.value, { app: 'web', tier: 'a', gpu: '', env: 'dev' })).toBe(false);
    expect(matchesLabels(result.value, { app: 'web', tier: 'a' })).toBe(false);
  });

  it('gives the Scale.status.selector string of a Deployment', () => {
    const result = labelSelectorFromObject({ matchLabels: { app: 'web', 'pod-template-hash': '5d9f' } });
    expect(result.ok && formatLabelSelector(result.value)).toBe('app=web,pod-template-hash=5d9f');
  });

  it('selects everything with {} and nothing with null', () => {
    const everything = labelSelectorFromObject({});
    expect(everything.ok && selectorIsEmpty(everything.value)).toBe(true);
    expect(everything.ok && matchesLabels(everything.value, {})).toBe(true);
    const nothing = labelSelectorFromObject(null);
    expect(nothing.ok && selectorIsEmpty(nothing.value)).toBe(false);
    expect(nothing.ok && matchesLabels(nothing.value, web)).toBe(false);
    expect(nothing.ok && formatLabelSelector(nothing.value)).toBe('');
  });

  it('rejects bad operators, values and shapes with Invalid', () => {
    const cases: unknown[] = [
      { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] },
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] },
      { matchExpressions: [{ key: 'bad key', operator: 'Exists' }] },
      { matchLabels: { app: 'not valid' } },
      { matchLabels: { app: 1 } },
      { matchExpressions: 'x' },
      'app=web',
    ];
    for (const obj of cases) expect(labelSelectorFromObject(obj), JSON.stringify(obj)).toMatchObject({ ok: false, code: 'Invalid' });
    expect(labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toMatchObject({
      message: '"Gt" is not a valid label selector operator',
    });
  });
});

describe('labelSelectorFromMap', () => {
  it('requires every label of a Service selector', () => {
    const selector = labelSelectorFromMap({ tier: 'fe', app: 'web' });
    expect(formatLabelSelector(selector)).toBe('app=web,tier=fe');
    expect(matchesLabels(selector, web)).toBe(true);
    expect(matchesLabels(selector, { app: 'web' })).toBe(false);
    expect(selectorIsEmpty(labelSelectorFromMap(undefined))).toBe(true);
  });
});
