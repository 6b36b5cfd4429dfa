import { describe, expect, it } from 'vitest';
import { memoryApiContext } from '../../test/helpers/memory-api.js';
import { EventRateLimiter, eventName, type EventContent } from './event-writer.js';
import { writeUpstream } from './upstream-writer.js';

const context = () => memoryApiContext();

const pods = { lookupPod: (ns: string, name: string) => (ns === 'default' && name === 'web' ? { uid: 'u1', nodeName: 'n1' } : ns === 'default' && name === 'other' ? { uid: 'u2', nodeName: 'n2' } : undefined), lookupDevice: () => undefined };
const event = (count: number, extra: Partial<EventContent> = {}): EventContent => ({
  kind: 'event', seq: count, involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' }, type: 'Warning', reason: 'BackOff',
  message: `restart ${count}`, count, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: `2026-01-01T00:00:${String(count).padStart(2, '0')}Z`, reportingComponent: 'edged', ...extra,
});

describe('events upstream (protocol.md R25)', () => {
  it('aggregates a series into one Event; an older or repeated count never goes back', async () => {
    const api = await context();
    const events = api.registry.get('', 'v1', 'events')!;
    expect(await writeUpstream(api, pods, 'n1', event(3))).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, pods, 'n1', event(7))).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, pods, 'n1', event(5))).toEqual({ outcome: 'ack' });
    const stored = await api.objects.get(events, 'default', eventName('n1', event(7)));
    expect(stored).toMatchObject({ count: 7, message: 'restart 7', reason: 'BackOff', type: 'Warning', source: { component: 'edged', host: 'n1' }, involvedObject: { kind: 'Pod', name: 'web', uid: 'u1', apiVersion: 'v1' } });
    const listed = await api.objects.list(events, 'default');
    expect(listed.ok && listed.value.items).toHaveLength(1);
  });

  it('the node authorizer: events about its own Node and its own pods only', async () => {
    const api = await context();
    expect(await writeUpstream(api, pods, 'n1', event(1, { involvedObject: { kind: 'Node', name: 'n1', uid: 'n1' } }))).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, pods, 'n1', event(1, { involvedObject: { kind: 'Node', name: 'n2' } }))).toMatchObject({ outcome: 'reject', refused: true });
    expect(await writeUpstream(api, pods, 'n1', event(1, { involvedObject: { kind: 'Pod', namespace: 'default', name: 'other' } }))).toMatchObject({ outcome: 'reject', refused: true });
  });

  it('caps a node\'s event rate: beyond the burst, events are answered retry', async () => {
    const api = await context();
    let now = 0;
    const limiter = new EventRateLimiter(2, 1, () => now);
    expect(await writeUpstream(api, pods, 'n1', event(1), limiter)).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, pods, 'n1', event(2), limiter)).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, pods, 'n1', event(3), limiter)).toMatchObject({ outcome: 'retry' });
    now += 1000;
    expect(await writeUpstream(api, pods, 'n1', event(3), limiter)).toEqual({ outcome: 'ack' });
  });
});
