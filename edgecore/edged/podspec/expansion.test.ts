import { describe, expect, it } from 'vitest';
import { expandVariables, lookupIn } from './expansion.js';

const lookup = lookupIn(new Map([['A', 'alpha'], ['B', 'beta'], ['EMPTY', '']]), new Map([['C', 'gamma'], ['A', 'shadowed']]));

describe('expandVariables (Kubernetes $(VAR) rules)', () => {
  it.each([
    ['$(A)', 'alpha'],
    ['x-$(A)-$(B)-y', 'x-alpha-beta-y'],
    ['$(C)', 'gamma'],
    ['$(EMPTY)x', 'x'],
    ['$(UNDEFINED)', '$(UNDEFINED)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$alpha'],
    ['$$', '$'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$A', '$A'],
    ['$(A', '$(A'],
    ['$(A$(B)', '$(A$(B)'],
    ['$()', '$()'],
    ['no refs', 'no refs'],
    ['$(A)$(A)', 'alphaalpha'],
    ['ünï$(A)cødé', 'ünïalphacødé'],
  ])('%j → %j', (input, output) => {
    expect(expandVariables(input, lookup)).toBe(output);
  });
});
