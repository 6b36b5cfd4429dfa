import { describe, expect, it } from 'vitest';
import { StatusReporter, canonicalJson } from './status-reporter.js';
import type { PodStatusJson } from './status-types.js';

const ref = { namespace: 'default', name: 'p', uid: 'u1' };
const status = (phase: PodStatusJson['phase']): PodStatusJson => ({ phase, conditions: [], hostIP: 'h', hostIPs: [{ ip: 'h' }], startTime: 't', containerStatuses: [] });

describe('StatusReporter', () => {
  it('queues a status only when it differs from the last one sent', () => {
    const sent: unknown[] = [];
    const reporter = new StatusReporter((_pod, s) => sent.push(s));
    expect(reporter.report(ref, status('Pending'), undefined)).toBe(true);
    expect(reporter.report(ref, status('Pending'), undefined)).toBe(false);
    expect(reporter.report(ref, status('Running'), undefined)).toBe(true);
    expect(sent).toHaveLength(2);
    reporter.forget('u1');
    expect(reporter.previous('u1', undefined)).toBeUndefined();
  });

  it('after a restart compares with the status the cloud holds, ignoring fields edged does not report', () => {
    const sent: unknown[] = [];
    const reporter = new StatusReporter((_pod, s) => sent.push(s));
    const stored = { ...status('Running'), qosClass: 'BestEffort' } as Record<string, unknown>;
    expect(reporter.previous('u1', stored)).toBe(stored);
    expect(reporter.report(ref, status('Running'), stored)).toBe(false);
    expect(sent).toEqual([]);
  });

  it('compares JSON whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
