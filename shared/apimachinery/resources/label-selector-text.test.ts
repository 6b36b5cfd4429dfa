import { describe, expect, it } from 'vitest';
import { formatLabelSelector } from './label-selector-text.js';

describe('label selector text', () => {
  it('formats like labels.Selector.String()', () => {
    expect(formatLabelSelector({ matchLabels: { tier: 'web', app: 'x' } })).toBe('app=x,tier=web');
    expect(
      formatLabelSelector({
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
          { key: 'os', operator: 'NotIn', values: ['windows'] },
        ],
      }),
    ).toBe('!canary,env in (dev,prod),os notin (windows),zone');
    expect(formatLabelSelector(undefined)).toBe('');
  });

});
