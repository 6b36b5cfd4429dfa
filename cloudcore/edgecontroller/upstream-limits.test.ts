import { describe, expect, it } from 'vitest';
import { checkReportSize, MAX_UPSTREAM_OBJECT_BYTES, ObjectTooLarge, withinObjectLimit } from './upstream-limits.js';

describe('upstream object limits (protocol.md R38)', () => {
  it('lets an object within the bound through and refuses one over it', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, status: { message: 'x'.repeat(1000) } };
    expect(withinObjectLimit(pod)).toBe(pod);
    const big = { ...pod, status: { message: 'x'.repeat(MAX_UPSTREAM_OBJECT_BYTES) } };
    expect(() => withinObjectLimit(big)).toThrow(ObjectTooLarge);
    expect(() => withinObjectLimit(big)).toThrow(/Pod default\/p would be \d+ bytes/);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(() => checkReportSize('status', { m: 'é'.repeat(600) }, 1000)).toThrow(/status is 1208 bytes/);
    expect(() => checkReportSize('status', { m: 'e'.repeat(600) }, 1000)).not.toThrow();
  });
});
