import { describe, expect, it } from 'vitest';
import { CommitTracker } from './commit-tracker.js';
import { heapFromMetrics } from './memory-phase.js';
import { parsePromText, sampleValue } from './prom-text.js';
import { evaluateGoals, formatReport, type EdgeSyncFigures } from './report.js';

describe('matching creates to edge commits', () => {
  it('measures from the send to the commit, even when the commit is seen before the 201', async () => {
    const tracker = new CommitTracker();
    const outcome = tracker.expect('p1', 100, 0);
    tracker.observe('p1', 112.5);
    await expect(outcome).resolves.toEqual({ committed: true, latencyMs: 12.5 });
    expect(tracker.waiting).toBe(0);
  });

  it('counts commits nobody waits for (the second announcement, or not ours) as unmatched', async () => {
    const tracker = new CommitTracker();
    const outcome = tracker.expect('p1', 0, 0);
    tracker.observe('p1', 1);
    tracker.observe('p1', 2);
    tracker.observe('other', 3);
    await outcome;
    expect(tracker.unmatched).toBe(2);
  });

  it('gives up after the timeout or on cancel', async () => {
    const tracker = new CommitTracker();
    const timedOut = tracker.expect('slow', 0, 5);
    const cancelled = tracker.expect('failed', 0, 60_000);
    tracker.cancel('failed');
    await expect(cancelled).resolves.toEqual({ committed: false });
    await expect(timedOut).resolves.toEqual({ committed: false });
    tracker.observe('slow', 10);
    expect(tracker.unmatched).toBe(1);
  });
});

describe('Prometheus text', () => {
  const text = [
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    'process_resident_memory_bytes 73400320',
    'nodejs_heap_size_total_bytes 20971520',
    'nodejs_heap_size_used_bytes 15728640.5',
    'nodejs_external_memory_bytes 3145728',
    'nodejs_heap_space_size_used_bytes{space="old"} 10485760',
    'nodejs_heap_space_size_used_bytes{space="code"} 2097152 1700000000000',
    'outpost_edge_store_objects{kind="Pod",note="a \\"quoted\\" value"} 500',
    'odd_gauge +Inf',
  ].join('\n');

  it('reads samples with labels, escapes, timestamps and special values', () => {
    const samples = parsePromText(text);
    expect(sampleValue(samples, 'outpost_edge_store_objects', { kind: 'Pod' })).toBe(500);
    expect(samples.find((s) => s.name === 'outpost_edge_store_objects')?.labels['note']).toBe('a "quoted" value');
    expect(sampleValue(samples, 'nodejs_heap_space_size_used_bytes', { space: 'code' })).toBe(2097152);
    expect(sampleValue(samples, 'odd_gauge')).toBe(Number.POSITIVE_INFINITY);
    expect(sampleValue(samples, 'absent')).toBeUndefined();
  });

  it('picks the heap figures out of prom-client default metrics', () => {
    expect(heapFromMetrics(text)).toEqual({
      residentBytes: 73400320,
      heapTotalBytes: 20971520,
      heapUsedBytes: 15728640.5,
      externalBytes: 3145728,
      heapSpacesUsed: { old: 10485760, code: 2097152 },
    });
    expect(heapFromMetrics('outpost_edge_store_revision 3\n')).toEqual({ heapSpacesUsed: {} });
  });
});

describe('goals', () => {
  const environment: EdgeSyncFigures['environment'] = { node: 'v20', cpus: 2, cpuModel: 'x', platform: 'linux/x64', loadAverageAtStart: 0 };
  const commit = { concurrency: 1, count: 500, committed: 500, p50Ms: 5, p99Ms: 40, maxMs: 60, apiP50Ms: 3, apiP99Ms: 9, timeouts: 0, failures: 0, wallMs: 3000 };
  const memory = { podsCached: 520, settleMs: 5000, edgeRssBytes: 69 * 1024 * 1024, libraryRssBytes: {} };

  it('holds p99 create -> commit to 50 ms and RSS to 70 MiB', () => {
    expect(evaluateGoals({ environment, commitC1: commit, memory })).toEqual([
      { name: 'commitP99C1Ms', measured: 40, met: true },
      { name: 'edgeRssMiB', measured: 69, met: true },
    ]);
    const slow = evaluateGoals({ environment, commitC1: { ...commit, p99Ms: 50.1 }, memory: { ...memory, edgeRssBytes: 71 * 1024 * 1024 } });
    expect(slow.map((g) => g.met)).toEqual([false, false]);
  });

  it('does not call a run that lost commits met', () => {
    expect(evaluateGoals({ environment, commitC1: { ...commit, committed: 499, timeouts: 1 } })[0]?.met).toBe(false);
  });

  it('prints a row per figure with its goal and status', () => {
    const lines = formatReport({ environment, commitC1: commit, memory });
    expect(lines.some((l) => /create -> edge commit, c=1 \(500 pods\).*p99 40\.0 ms.*p99 <= 50 ms\s+met/.test(l))).toBe(true);
    expect(lines.some((l) => /edgecore RSS, 520 pods cached.*69\.0 MiB.*<= 70 MiB\s+met/.test(l))).toBe(true);
  });
});
