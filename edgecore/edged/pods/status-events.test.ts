import { describe, expect, it } from 'vitest';
import { statusEvents } from './status-events.js';
import type { ContainerStatusJson, PodStatusJson } from './status-types.js';

const container = (over: Partial<ContainerStatusJson>): ContainerStatusJson => ({
  name: 'web', state: {}, lastState: {}, ready: false, restartCount: 0, image: 'outpost.local/busybox:1', imageID: '', started: false, ...over,
});
const status = (c: ContainerStatusJson): PodStatusJson => ({ phase: 'Pending', conditions: [], hostIP: '', hostIPs: [], startTime: '', containerStatuses: [c] });

describe('pod events from status changes (as kubelet records them)', () => {
  it('Started for a new container id, BackOff for each new crash-loop wait, nothing for an unchanged status', () => {
    const running = status(container({ containerID: 'containerd://a', state: { running: { startedAt: 't' } } }));
    expect(statusEvents(undefined, running)).toEqual([{ type: 'Normal', reason: 'Started', message: 'Started container web', fieldPath: 'spec.containers{web}' }]);
    expect(statusEvents(running, running)).toEqual([]);
    const backoff = status(container({ containerID: 'containerd://a', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }));
    expect(statusEvents(running, backoff)).toMatchObject([{ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' }]);
    expect(statusEvents(backoff, backoff)).toEqual([]);
    expect(statusEvents(backoff, { ...backoff, containerStatuses: [{ ...backoff.containerStatuses[0]!, restartCount: 2 }] })).toHaveLength(1);
  });

  it('image pull failures: Failed with the runtime\'s message, then BackOff pulling', () => {
    const pull = status(container({ state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } }));
    expect(statusEvents(undefined, pull)).toMatchObject([{ type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull (not found)' }]);
    const backoff = status(container({ state: { waiting: { reason: 'ImagePullBackOff' } } }));
    expect(statusEvents(pull, backoff)).toMatchObject([{ reason: 'BackOff', message: 'Back-off pulling image "outpost.local/busybox:1"' }]);
  });

  it('an ephemeral container that started is named by its own field path (R47)', () => {
    const debuggerStatus = container({ name: 'debugger-x', containerID: 'containerd://d', state: { running: { startedAt: 't' } } });
    const before = status(container({}));
    expect(statusEvents(before, { ...before, ephemeralContainerStatuses: [debuggerStatus] })).toEqual([
      { type: 'Normal', reason: 'Started', message: 'Started container debugger-x', fieldPath: 'spec.ephemeralContainers{debugger-x}' },
    ]);
  });
});
