import { describe, expect, it } from 'vitest';
import { periodicLock, stageBreakdown, timelineOffsets, type PodTimeline } from './breakdown.js';
import { EdgeLogStamps, parseSandboxStart } from './edge-log-stamps.js';
import { benchPodObject } from './pod-manifest.js';
import { rawConfigs, RAW_MANAGED_BY } from './raw-cri-phase.js';
import { evaluateGoals, formatReport, overhead, type PodsFigures } from './report.js';
import { parsePodEvent, RunningTracker } from './running-tracker.js';
import { nanosToMs } from './runtime-stamps.js';

const event = (type: string, name: string, phase?: string): string => JSON.stringify({ type, object: { metadata: { name, uid: `uid-${name}` }, status: phase === undefined ? {} : { phase } } });

describe('RunningTracker', () => {
  it('resolves a waiter with the first Running event, before or after it registered', async () => {
    const tracker = new RunningTracker();
    const signal = new AbortController().signal;
    tracker.onLine(event('ADDED', 'a', 'Pending'), 1);
    const waiting = tracker.waitRunning('a', 1000, signal);
    tracker.onLine(event('MODIFIED', 'a', 'Running'), 5);
    tracker.onLine(event('MODIFIED', 'a', 'Running'), 9);
    await expect(waiting).resolves.toEqual({ at: 5, uid: 'uid-a' });
    await expect(tracker.waitRunning('a', 1000, signal)).resolves.toEqual({ at: 5, uid: 'uid-a' });
  });

  it('ignores DELETED, counts lines that are not pod events, and times out', async () => {
    const tracker = new RunningTracker();
    tracker.onLine(event('DELETED', 'b', 'Running'), 1);
    tracker.onLine('not json', 2);
    tracker.onLine(JSON.stringify({ type: 'ERROR', object: { code: 410 } }), 3);
    expect(tracker.badLines).toBe(2);
    await expect(tracker.waitRunning('b', 10, new AbortController().signal)).resolves.toBeUndefined();
  });

  it('parses the phase and uid of a watch line', () => {
    expect(parsePodEvent(event('MODIFIED', 'c', 'Running'))).toEqual({ type: 'MODIFIED', name: 'c', uid: 'uid-c', phase: 'Running' });
  });
});

describe('edge log stamps', () => {
  const line = (msg: string, pod: string, time: string): string => JSON.stringify({ level: 30, time, component: 'edgecore', msg, pod, namespace: 'ns' });

  it("takes the first 'creating pod sandbox' of each pod, across chunk boundaries", () => {
    const stamps = new EdgeLogStamps();
    const text = [line('creating pod sandbox', 'p1', '2025-01-01T00:00:00.123Z'), line('edged started', 'p2', '2025-01-01T00:00:00.200Z'), line('creating pod sandbox', 'p1', '2025-01-01T00:00:01.000Z')].join('\n') + '\n';
    stamps.onChunk(text.slice(0, 40));
    stamps.onChunk(text.slice(40));
    expect(stamps.sandboxStartMs('ns', 'p1')).toBe(Date.parse('2025-01-01T00:00:00.123Z'));
    expect(stamps.sandboxStartMs('ns', 'p2')).toBeUndefined();
  });

  it('ignores lines that only mention the message', () => {
    expect(parseSandboxStart('containerd says: creating pod sandbox')).toBeUndefined();
    expect(parseSandboxStart(JSON.stringify({ msg: 'creating pod sandbox', time: 'later', pod: 'x' }))).toBeUndefined();
  });
});

describe('breakdown', () => {
  const timeline: PodTimeline = { name: 'p', sentMs: 1000, apiReturnedMs: 1005, edgeCommitMs: 1010, sandboxCallMs: 1012, sandboxCreatedMs: 1015, containerCreatedMs: 1150, containerStartedMs: 1200, runningMs: 1500 };

  it('measures each stage only over pods that have both stamps', () => {
    const { edgeCommitMs: _dropped, ...noCommit } = timeline;
    const stages = stageBreakdown([timeline, { ...noCommit, name: 'q' }]);
    expect(stages.find((s) => s.name.startsWith('send -> edge commit'))).toMatchObject({ count: 1, p50Ms: 10 });
    expect(stages.find((s) => s.name.startsWith('container started'))).toMatchObject({ count: 2, p50Ms: 300 });
    expect(timelineOffsets(timeline)).toContain('Running +500.0 ms');
  });

  it('tells events locked to a periodic timer from spread ones', () => {
    const locked = Array.from({ length: 50 }, (_, i) => i * 1000 + (i % 3) * 500 + (i % 2));
    // A fixed pseudo-random sequence (LCG), so the test is deterministic.
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let t = 0;
    const spread = Array.from({ length: 200 }, () => (t += 200 + random() * 1000));
    expect(periodicLock(locked, 500)).toBeGreaterThan(0.95);
    expect(periodicLock(spread, 500)).toBeLessThan(0.5);
    expect(periodicLock([1], 500)).toBeNaN();
  });
});

describe('report', () => {
  const figures = (e2eP99: number, rawP99: number, running = 100): PodsFigures => ({
    environment: { node: 'v20', cpus: 2, cpuModel: 'cpu', platform: 'linux/x64', loadAverageAtStart: 0, relistPeriodSeconds: 1 },
    e2e: { count: 100, running, p50Ms: 300, p99Ms: e2eP99, maxMs: e2eP99, meanMs: 300, timeouts: 100 - running, failures: 0, batchSize: 20, timelines: [] },
    raw: { count: 100, started: 100, p50Ms: 200, p99Ms: rawP99, maxMs: rawP99, meanMs: 200, runPodSandboxP50Ms: 120, createContainerP50Ms: 10, startContainerP50Ms: 60, failures: 0, batchSize: 20 },
  });

  it('divides end to end by raw at each percentile and judges the goals', () => {
    expect(overhead({ p50Ms: 300, p99Ms: 900 }, { p50Ms: 200, p99Ms: 300 })).toEqual({ p50: 1.5, p99: 3 });
    expect(evaluateGoals(figures(900, 300)).map((g) => [g.name, g.met])).toEqual([['e2eP99Ms', true], ['overheadP50', true], ['overheadP99', false]]);
    expect(evaluateGoals(figures(1200, 1000)).find((g) => g.name === 'e2eP99Ms')?.met).toBe(false);
  });

  it('does not call a run with pods that never ran a success', () => {
    expect(evaluateGoals(figures(500, 400, 99)).every((g) => !g.met)).toBe(true);
    expect(formatReport(figures(500, 400, 99)).join('\n')).toContain('1 TIMED OUT');
  });
});

describe('raw CRI configs', () => {
  it('are edged-built configs of the benchmark pod, marked as the benchmark\'s own', () => {
    const configs = rawConfigs('raw-0001', 'raw-ns', 'node-a', '/tmp/logs');
    if (!configs.ok) throw new Error(configs.message);
    expect(configs.value.sandbox.labels?.['outpost.dev/managed-by']).toBe(RAW_MANAGED_BY);
    expect(configs.value.container.labels?.['outpost.dev/managed-by']).toBe(RAW_MANAGED_BY);
    expect(configs.value.sandbox.metadata?.namespace).toBe('raw-ns');
    const container = (benchPodObject('x', 'node-a')['spec'] as { containers: { command: string[]; image: string }[] }).containers[0];
    expect(configs.value.container.command).toEqual(container?.command);
    expect(configs.value.container.image?.image).toBe(container?.image);
  });
});

describe('small parsers', () => {
  it('converts CRI nanoseconds to fractional milliseconds', () => {
    expect(nanosToMs(1_700_000_000_123_456_789n)).toBeCloseTo(1_700_000_000_123.457, 2);
  });
});
