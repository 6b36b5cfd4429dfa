import { describe, expect, it } from 'vitest';
import { checkReportSize, MAX_UPSTREAM_OBJECT_BYTES, MAX_UPSTREAM_REPORT_BYTES, ObjectTooLarge, withinObjectLimit } from './upstream-limits.js';

const pod = (spec: unknown, status: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec, status });

describe('upstream object limits (protocol.md R38)', () => {
  it('lets an object within the bounds through and refuses a status over its bound', () => {
    const small = pod({}, { message: 'x'.repeat(1000) });
    expect(withinObjectLimit(small)).toBe(small);
    const big = pod({}, { message: 'x'.repeat(MAX_UPSTREAM_REPORT_BYTES) });
    expect(() => withinObjectLimit(big)).toThrow(ObjectTooLarge);
    expect(() => withinObjectLimit(big)).toThrow(/the status of Pod default\/p would be \d+ bytes/);
  });

  it('keeps serving a large object the API accepted, but never lets a status take it past the API\'s bound', () => {
    const largeSpec = { env: 'e'.repeat(2 * 1024 * 1024) };
    expect(() => withinObjectLimit(pod(largeSpec, { phase: 'Running' }))).not.toThrow();
    expect(() => withinObjectLimit(pod(largeSpec, { message: 'm'.repeat(MAX_UPSTREAM_OBJECT_BYTES - 2 * 1024 * 1024) }))).toThrow(/Pod default\/p would be \d+ bytes; a node's write may make an object of at most 3145728/);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(() => checkReportSize('status', { m: 'é'.repeat(600) }, 1000)).toThrow(/status is 1208 bytes/);
    expect(() => checkReportSize('status', { m: 'e'.repeat(600) }, 1000)).not.toThrow();
  });
});
