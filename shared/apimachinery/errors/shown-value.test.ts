import { describe, expect, it } from 'vitest';
import { shownValue } from './shown-value.js';

describe('shownValue', () => {
  it('never throws on what a JSON or YAML body can hold (an object whose toString is null was a 500 found by the fuzz suite)', () => {
    expect(shownValue({ toString: null, a: 1 })).toBe('{"toString":null,"a":1}');
    expect(shownValue(Object.create(null) as unknown)).toBe('{}');
    expect(shownValue(['x', 2])).toBe('["x",2]');
    expect(shownValue(undefined)).toBe('undefined');
    expect(shownValue(10n)).toBe('<TypeError value>');
  });

  it('shows strings as they are and cuts long values', () => {
    expect(shownValue('v1')).toBe('v1');
    expect(shownValue({ a: 'x'.repeat(500) }, 20)).toBe(`{"a":"${'x'.repeat(14)}...`);
  });
});
