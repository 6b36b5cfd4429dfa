import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { create } from '../common/test-helpers.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './event-conversion.js';
import { eventsV1Resource } from './events-v1.js';

const now = new Date('2025-01-01T00:10:00Z');

const coreEvent: KubeObject = {
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default', resourceVersion: '4' },
  involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'BackOff', message: 'Back-off', type: 'Warning',
  source: { component: 'kubelet', host: 'edge-1' }, count: 3, firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:05:00Z',
};

describe('core/v1 ⇄ events.k8s.io/v1 events', () => {
  it('renames the fields both ways and fills reporting fields from an old source', () => {
    const v1 = coreEventToEventsV1(coreEvent);
    expect(v1).toEqual({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: coreEvent.metadata,
      regarding: coreEvent.involvedObject, reason: 'BackOff', note: 'Back-off', type: 'Warning',
      deprecatedSource: { component: 'kubelet', host: 'edge-1' }, deprecatedCount: 3,
      deprecatedFirstTimestamp: '2025-01-01T00:00:00Z', deprecatedLastTimestamp: '2025-01-01T00:05:00Z',
      reportingController: 'kubelet', reportingInstance: 'edge-1',
    });
    expect(eventsV1ToCoreEvent(v1)).toEqual({ ...coreEvent, reportingComponent: 'kubelet', reportingInstance: 'edge-1' });
  });

  it('validates an events.k8s.io/v1 event strictly and prints the core table', () => {
    const events = eventsV1Resource();
    const good = {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, eventTime: '2025-01-01T00:00:00.000000Z',
      reportingController: 'example.com/op', reportingInstance: 'op-0', action: 'Scale', reason: 'Scaled', type: 'Normal', note: 'scaled up',
      regarding: { kind: 'Deployment', name: 'web', namespace: 'default' },
    };
    const { obj, errors } = create(events, good);
    expect(errors).toEqual([]);
    expect(events.table.cells(obj, now)).toEqual(['10m', 'Normal', 'Scaled', 'deployment/web', '', 'example.com/op, op-0', 'scaled up', '10m', 1, 'e']);
    expect(create(events, { ...good, eventTime: undefined, action: '', deprecatedCount: 2, series: { count: 1 } }).errors).toEqual([
      'action: Required value',
      'series.count: Invalid value: "": should be at least 2',
      'series.lastObservedTime: Required value',
      'eventTime: Required value',
      'deprecatedCount: Invalid value: "": needs to be unset',
    ]);
  });
});
