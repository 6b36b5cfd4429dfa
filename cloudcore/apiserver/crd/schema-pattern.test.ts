import { describe, expect, it } from 'vitest';
import { cachedPatternCount, compileSchemaPattern, matchesSchemaPattern, PATTERN_CACHE_LIMIT } from './schema-pattern.js';

describe('CRD schema patterns (RE2)', () => {
  it('matches unanchored, as OpenAPI pattern does', () => {
    expect(matchesSchemaPattern('b', 'abc')).toBe(true);
    expect(matchesSchemaPattern('^[a-z]+$', 'abc')).toBe(true);
    expect(matchesSchemaPattern('^[a-z]+$', 'aBc')).toBe(false);
  });

  it('answers a catastrophic-backtracking pattern without backtracking', () => {
    expect(matchesSchemaPattern('^(a+)+$', `${'a'.repeat(38)}!`)).toBe(false);
    expect(matchesSchemaPattern('^(a+)+$', 'a'.repeat(38))).toBe(true);
  });

  it('refuses what RE2 refuses, with Go regexp\'s error text', () => {
    expect(compileSchemaPattern('(a)\\1')).toEqual({ ok: false, reason: 'error parsing regexp: invalid escape sequence: `\\1`' });
    expect(compileSchemaPattern('(?=a)')).toEqual({ ok: false, reason: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`' });
    expect(matchesSchemaPattern('(?=a)', 'a')).toBe(false);
  });

  it('keeps at most PATTERN_CACHE_LIMIT compiled patterns', () => {
    for (let i = 0; i < PATTERN_CACHE_LIMIT + 50; i++) compileSchemaPattern(`^x${i}$`);
    expect(cachedPatternCount()).toBe(PATTERN_CACHE_LIMIT);
    expect(matchesSchemaPattern('^x0$', 'x0')).toBe(true);
  });
});
