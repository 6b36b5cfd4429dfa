import { describe, expect, it } from 'vitest';
import { FleetLog } from './fleet.js';
import { ackedCount, ackLatencies, boundPodBody } from './pod-changes.js';
import { bytesPerConnection, parseVmRss } from './proc-memory.js';
import { evaluateGoals, projectRss, type ChannelFigures } from './report.js';

const environment: ChannelFigures['environment'] = { node: 'v20', cpus: 2, cpuModel: 'x', edges: 1000, workers: 2, dialsInFlight: 400, restartSignal: 'SIGKILL', loadAverageAtStart: 0 };

describe('cloudcore memory figures', () => {
  it('reads VmRSS from /proc/<pid>/status in bytes', () => {
    expect(parseVmRss('Name:\tnode\nVmHWM:\t  200000 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n')).toBe(123456 * 1024);
    expect(parseVmRss('Name:\tnode\n')).toBeUndefined();
  });

  it('divides the added RSS by the connections and projects it', () => {
    expect(bytesPerConnection(100, 1100, 10)).toBe(100);
    expect(bytesPerConnection(100, 1100, 0)).toBeNaN();
    expect(projectRss(100 * 2 ** 20, 50 * 1024, 10_000)).toBe(100 * 2 ** 20 + 500 * 1024 * 1000);
  });
});

describe('change→ack bookkeeping', () => {
  it('times each pod from its send to its first ack and leaves unacked pods out', () => {
    const sent = new Map([['a', 1000], ['b', 1010], ['c', 1020]]);
    const acked = new Map([['a', 1005], ['c', 1100], ['other', 5]]);
    expect(ackLatencies(sent, acked)).toEqual([5, 80]);
    expect(ackedCount(sent, acked)).toBe(2);
  });

  it('binds the pod to its node', () => {
    expect(JSON.parse(boundPodBody('p', 'hollow-00001')).spec.nodeName).toBe('hollow-00001');
  });

  it('counts nodes synced since a moment, keeping each node once, and the first ack of a pod', () => {
    const log = new FleetLog();
    log.apply({ e: 'synced', node: 'n1', at: 10 });
    log.apply({ e: 'synced', node: 'n2', at: 30 });
    log.apply({ e: 'synced', node: 'n1', at: 40 });
    expect(log.syncedSince(20)).toEqual({ count: 2, last: 40 });
    expect(log.syncedSince(20, new Set(['n2']))).toEqual({ count: 1, last: 30 });
    log.apply({ e: 'acked', node: 'n1', pod: 'p', at: 50 });
    log.apply({ e: 'acked', node: 'n1', pod: 'p', at: 90 });
    expect(log.firstAck.get('p')).toBe(50);
    expect(log.acks).toBe(2);
  });
});

describe('goals', () => {
  it('projects RSS to 10,000 edges below that scale and marks the outcome indicative', () => {
    const goals = evaluateGoals({ environment, memory: { rssBeforeBytes: 100 * 2 ** 20, rssConnectedBytes: 150 * 2 ** 20, perConnectionBytes: 50 * 1024 } });
    expect(goals).toEqual([{ name: 'rssAt10kBytes', measured: 100 * 2 ** 20 + 500 * 1024 * 1000, met: true, indicative: true }]);
  });

  it('does not meet the latency goal when changes went unacked, and compares resync with the storm', () => {
    const goals = evaluateGoals({
      environment,
      changeToAck: { sent: 500, count: 499, intervalMs: 20, failures: 0, p50Ms: 5, p99Ms: 9, maxMs: 10 },
      resyncBackoff: { fromKillMs: 30_000, fromReadyMs: 2500, cloudStartMs: 1000, lastDialAfterReadyMs: 2000 },
      storm: { handshakes: 1000, ms: 2000, failures: 0 },
    });
    expect(goals.find((g) => g.name === 'changeToAckP99Ms')?.met).toBe(false);
    expect(goals.find((g) => g.name === 'resyncOverStorm')).toEqual({ name: 'resyncOverStorm', measured: 1.25, met: true, indicative: false });
  });

  it('meets the failover goal only when every moved edge was welcomed by the survivor within 10 s', () => {
    const failover = { edges: 1000, connectMs: 9000, movedEdges: 500, onSurvivor: 500, fromKillMs: 4000, loadAverageAtKill: 3 };
    expect(evaluateGoals({ environment, failover })).toEqual([{ name: 'failoverMs', measured: 4000, met: true, indicative: false }]);
    expect(evaluateGoals({ environment, failover: { ...failover, onSurvivor: 499 } })[0]?.met).toBe(false);
    expect(evaluateGoals({ environment, failover: { ...failover, fromKillMs: 10_001 } })[0]?.met).toBe(false);
    expect(evaluateGoals({ environment: { ...environment, edges: 100 }, failover })[0]?.indicative).toBe(true);
  });
});

describe('fleet log hubs', () => {
  it('keeps the hub of each node\'s latest welcome', () => {
    const log = new FleetLog();
    log.apply({ e: 'synced', node: 'n1', at: 10, hub: 'wss://127.0.0.1:1' });
    log.apply({ e: 'synced', node: 'n1', at: 20, hub: 'wss://127.0.0.1:2' });
    log.apply({ e: 'synced', node: 'n2', at: 20 });
    expect([...log.syncedHub]).toEqual([['n1', 'wss://127.0.0.1:2']]);
  });
});
