import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { autonomyDurationMs, evictionDelayMs } from './eviction-policy.js';
import { parseGoDuration } from './go-duration.js';
import { LeaseObservations } from './lease-observations.js';
import { desiredManagedTaints, reconcileTaints, silentNodeConditions, STATUS_UNKNOWN_MESSAGE } from './node-health.js';

const pod = (tolerations?: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n', ...(tolerations ? { tolerations } : {}) } });
const node = (annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', ...(annotations ? { annotations } : {}) } });

describe('Go durations', () => {
  it('parses what --node-monitor-grace-period and the autonomy annotation take', () => {
    expect(parseGoDuration('5s')).toEqual({ ok: true, value: 5000 });
    expect(parseGoDuration('50s')).toEqual({ ok: true, value: 50_000 });
    expect(parseGoDuration('1m')).toEqual({ ok: true, value: 60_000 });
    expect(parseGoDuration('1h30m')).toEqual({ ok: true, value: 5_400_000 });
    expect(parseGoDuration('1.5s')).toEqual({ ok: true, value: 1500 });
    expect(parseGoDuration('300ms')).toEqual({ ok: true, value: 300 });
    expect(parseGoDuration('0')).toEqual({ ok: true, value: 0 });
    for (const bad of ['', '5', '-5s', '5x', '1m 5s', 'soon']) expect(parseGoDuration(bad).ok).toBe(false);
  });
});

describe('lease observations (cloud clock, never renewTime)', () => {
  it('moves only when the observed version changes, and judges staleness on the cloud clock', () => {
    const seen = new LeaseObservations();
    expect(seen.isStale('n', 1_000_000, 50_000)).toBe(false); // never seen: not judged
    seen.firstSeen('n', 0);
    expect(seen.observe('n', 'lease', '10', 1_000)).toBe(true);
    expect(seen.observe('n', 'lease', '10', 40_000)).toBe(false); // a relist replays the same version
    expect(seen.lastObserved('n')).toBe(1_000);
    expect(seen.isStale('n', 50_999, 50_000)).toBe(false);
    expect(seen.isStale('n', 51_000, 50_000)).toBe(true);
    seen.observe('n', 'heartbeat', '2020-01-01T00:00:00Z', 60_000); // a heartbeat counts, whatever time it names
    expect(seen.isStale('n', 100_000, 50_000)).toBe(false);
    seen.firstSeen('n', 200_000); // not a renewal
    expect(seen.lastObserved('n')).toBe(60_000);
    seen.forget('n');
    expect(seen.lastObserved('n')).toBeUndefined();
  });
});

describe('node health', () => {
  it('sets every condition Unknown with Kubernetes reason and message, keeping heartbeats', () => {
    const n: KubeObject = {
      ...node(),
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: 'h1', lastTransitionTime: 't0' },
          { type: 'Ready', status: 'True', lastHeartbeatTime: 'h1', lastTransitionTime: 't0' },
        ],
      },
    };
    const next = silentNodeConditions(n, 'now');
    expect(next).toEqual([
      { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown', message: STATUS_UNKNOWN_MESSAGE, lastHeartbeatTime: 'h1', lastTransitionTime: 'now' },
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: 'h1', lastTransitionTime: 'now' },
    ]);
    expect(silentNodeConditions({ ...n, status: { conditions: next } }, 'later')).toBeUndefined();
    expect(silentNodeConditions(node(), 'now')).toEqual([
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: 'now', lastTransitionTime: 'now' },
    ]);
  });

  it('taints NoSchedule only by default, NoExecute only once eviction began, nothing when Ready', () => {
    expect(desiredManagedTaints('Unknown', false)).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    expect(desiredManagedTaints('Unknown', true)).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    ]);
    expect(desiredManagedTaints('False', false)).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(desiredManagedTaints('True', false)).toEqual([]);
    const own = { key: 'dedicated', effect: 'NoSchedule', value: 'gpu' };
    const tainted = reconcileTaints([own], desiredManagedTaints('Unknown', false), 'T1');
    expect(tainted).toEqual([own, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: 'T1' }]);
    expect(reconcileTaints(tainted!, desiredManagedTaints('Unknown', false), 'T2')).toBeUndefined(); // timeAdded kept
    expect(reconcileTaints(tainted!, desiredManagedTaints('True', false), 'T3')).toEqual([own]); // a user's taint stays
  });
});

describe('eviction policy (opt-in)', () => {
  it('reads the autonomy annotation as a Go duration', () => {
    expect(autonomyDurationMs(node({ 'outpost.dev/autonomy-duration': '10m' }))).toBe(600_000);
    expect(autonomyDurationMs(node({ 'outpost.dev/autonomy-duration': 'forever' }))).toBeUndefined();
    expect(autonomyDurationMs(node())).toBeUndefined();
  });

  it('evicts nothing by default; tolerationSeconds and the annotation opt in; no seconds means never', () => {
    expect(evictionDelayMs(pod(), undefined)).toBeUndefined();
    expect(evictionDelayMs(pod(), 600_000)).toBe(600_000);
    const timed = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }];
    expect(evictionDelayMs(pod(timed), undefined)).toBe(60_000);
    expect(evictionDelayMs(pod(timed), 600_000)).toBe(60_000); // the pod's own toleration decides
    const forever = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }];
    expect(evictionDelayMs(pod(forever), 600_000)).toBeUndefined();
    expect(evictionDelayMs(pod([{ operator: 'Exists' }]), 600_000)).toBeUndefined(); // tolerates everything
    expect(evictionDelayMs(pod([...timed, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 30 }]), undefined)).toBe(30_000);
    // Tolerations of other taints or effects do not count.
    expect(evictionDelayMs(pod([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]), undefined)).toBeUndefined();
    expect(evictionDelayMs(pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }]), undefined)).toBeUndefined();
  });
});
