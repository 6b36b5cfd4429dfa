import { describe, expect, it } from 'vitest';
import { memoryApiContext } from '../../test/helpers/memory-api.js';
import type { UpstreamContent } from '../../shared/protocol/index.js';
import { recordUndeliverable } from './undeliverable-event.js';
import { MAX_UPSTREAM_REPORT_BYTES } from './upstream-limits.js';
import { writeUpstream } from './upstream-writer.js';

const noPods = { lookupPod: () => undefined, lookupDevice: () => undefined };
const huge = 'x'.repeat(MAX_UPSTREAM_REPORT_BYTES);

describe('every upstream write is bounded (protocol.md R38)', () => {
  it('rejects a node status, a lease and an event over the limit; the store is untouched', async () => {
    const api = await memoryApiContext();
    const messages: UpstreamContent[] = [
      { kind: 'nodeStatus', seq: 1, nodeName: 'n1', status: { nodeInfo: { bootID: huge } } },
      { kind: 'lease', seq: 2, nodeName: 'n1', holderIdentity: huge, leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' },
      {
        kind: 'event', seq: 3, involvedObject: { kind: 'Node', name: 'n1', uid: 'n1' }, type: 'Warning', reason: 'Big', message: huge, count: 1,
        firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', reportingComponent: 'edged',
      },
    ];
    for (const content of messages) {
      const outcome = await writeUpstream(api, noPods, 'n1', content);
      expect(outcome).toMatchObject({ outcome: 'reject', message: expect.stringMatching(/at most 1572864 bytes/) });
    }
    const nodes = api.registry.get('', 'v1', 'nodes')!;
    expect(await api.objects.get(nodes, undefined, 'n1')).toBeUndefined();
  });

  it('rejects a node status that would make the Node larger than the limit, and keeps the Node as it was', async () => {
    const api = await memoryApiContext();
    const half = 'y'.repeat(MAX_UPSTREAM_REPORT_BYTES / 2 + 1024);
    expect(await writeUpstream(api, noPods, 'n1', { kind: 'nodeStatus', seq: 1, nodeName: 'n1', status: { a: half } })).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, noPods, 'n1', { kind: 'nodeStatus', seq: 2, nodeName: 'n1', status: { b: half } })).toMatchObject({ outcome: 'reject', message: expect.stringMatching(/the status of Node n1 would be \d+ bytes/) });
    const node = await api.objects.get(api.registry.get('', 'v1', 'nodes')!, undefined, 'n1');
    expect((node?.status as Record<string, unknown>).b).toBeUndefined();
  });
});

describe('an object too large to deliver is reported on itself (protocol.md R37)', () => {
  it('records one Warning Event per object and node, counting attempts', async () => {
    const api = await memoryApiContext();
    const about = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'big', uid: 'u-big' };
    await recordUndeliverable(api, { nodeName: 'n1', about, frameBytes: 5_000_000, limitBytes: 4_194_304 });
    await recordUndeliverable(api, { nodeName: 'n1', about, frameBytes: 5_000_001, limitBytes: 4_194_304 });
    const listed = await api.objects.list(api.registry.get('', 'v1', 'events')!, 'default');
    const items = listed.ok ? listed.value.items : [];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'Warning', reason: 'FrameTooLarge', count: 2, involvedObject: about, message: expect.stringMatching(/5000001 bytes as a frame, over the 4194304-byte limit/) });
  });
});
