import { describe, expect, it } from 'vitest';
import { computeTemplateHash } from './template-hash.js';

describe('computeTemplateHash', () => {
  it('is stable across key order, differs with content and collision count, and spells with the safe alphabet', () => {
    const a = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const b = { spec: { containers: [{ image: 'busybox', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    expect(computeTemplateHash(a)).toBe(computeTemplateHash(b));
    expect(computeTemplateHash(a)).not.toBe(computeTemplateHash({ ...a, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } }));
    expect(computeTemplateHash(a, 1)).not.toBe(computeTemplateHash(a));
    expect(computeTemplateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});
