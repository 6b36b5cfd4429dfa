import { describe, expect, it } from 'vitest';
import { checkPeerVersion, decodeFrame, encodeFrame, encodeUpsertFrame } from './index.js';

const route = { source: 'cloudhub', target: 'metamanager', resource: 'pods', operation: 'upsert' } as const;
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '12' }, spec: { nodeName: 'n1' } };

describe('protocol envelope', () => {
  it('round-trips every frame it builds', () => {
    const text = encodeFrame(route, { kind: 'ack', items: [{ uid: 'u1', resourceVersion: '12' }] }, { parentId: 'abc' });
    const decoded = decodeFrame(text);
    expect(decoded.ok && decoded.value.content).toEqual({ kind: 'ack', items: [{ uid: 'u1', resourceVersion: '12' }] });
    expect(decoded.ok && decoded.value.parentId).toBe('abc');
  });

  it('builds an upsert around pre-serialized JSON that decodes to the object', () => {
    const decoded = decodeFrame(encodeUpsertFrame(route, '12', JSON.stringify(pod)));
    expect(decoded.ok && decoded.value.content).toEqual({ kind: 'upsert', object: pod });
    expect(decoded.ok && decoded.value.resourceVersion).toBe('12');
  });

  it('rejects malformed, truncated and unknown frames with a reason', () => {
    expect(decodeFrame('{"id":').ok).toBe(false);
    expect(decodeFrame('null').ok).toBe(false);
    const unknown = decodeFrame(JSON.stringify({ id: 'a', timestamp: 1, route, content: { kind: 'launchMissiles' } }));
    expect(unknown.ok).toBe(false);
    const badRv = decodeFrame(JSON.stringify({ id: 'a', timestamp: 1, route, content: { kind: 'upsert', object: { ...pod, metadata: { ...pod.metadata, resourceVersion: 'x' } } } }));
    expect(!badRv.ok && badRv.message).toMatch(/resourceVersion/);
    const extra = decodeFrame(JSON.stringify({ id: 'a', timestamp: 1, route, content: { kind: 'ack', items: [{ uid: 'u', resourceVersion: '1' }] }, node: 'spoofed' }));
    expect(extra.ok).toBe(false);
  });
});

describe('protocol versions (R2)', () => {
  it('accepts its own minor and the one before, nothing else', () => {
    expect(checkPeerVersion('1.3', '1.3').ok).toBe(true);
    expect(checkPeerVersion('1.2', '1.3').ok).toBe(true);
    expect(checkPeerVersion('1.1', '1.3').ok).toBe(false);
    expect(checkPeerVersion('1.4', '1.3').ok).toBe(false);
    expect(checkPeerVersion('2.3', '1.3').ok).toBe(false);
    const refused = checkPeerVersion('0.9', '1.0');
    expect(!refused.ok && refused.message).toBe('protocol version 0.9 is not supported: this cloud speaks 1.0 and accepts 1.0');
    expect(checkPeerVersion('one', '1.0').ok).toBe(false);
  });
});
