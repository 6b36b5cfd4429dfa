import { describe, expect, it } from 'vitest';
import { DeliveryWindow } from './delivery-window.js';

function change(uid: string, rv: string) {
  return { uid, resourceVersion: rv, frame: () => `${uid}@${rv}` };
}

function makeWindow(maxInFlight = 2, maxFrameBytes = 1024 * 1024) {
  let now = 0;
  const sent: string[] = [];
  const undeliverable: Array<{ uid: string; bytes: number }> = [];
  let resends = 0;
  const window = new DeliveryWindow({
    maxInFlight,
    resendAfterMs: 100,
    now: () => now,
    send: (f) => (sent.push(f), true),
    onResend: () => resends++,
    maxFrameBytes,
    onUndeliverable: (c, bytes) => undeliverable.push({ uid: c.uid, bytes }),
  });
  return { window, sent, undeliverable, advance: (ms: number) => (now += ms), resends: () => resends };
}

describe('DeliveryWindow (protocol.md R10–R12)', () => {
  it('keeps at most maxInFlight unacked and sends more as acks arrive', () => {
    const { window, sent } = makeWindow(2);
    for (const uid of ['a', 'b', 'c']) window.offer(change(uid, '1'));
    expect(sent).toEqual(['a@1', 'b@1']);
    expect(window.ack('a', '1')).toBe(true);
    window.pump();
    expect(sent).toEqual(['a@1', 'b@1', 'c@1']);
    expect(window.depth).toBe(2);
  });

  it('keeps only the newest version: a superseded one is never resent, its ack ignored', () => {
    const { window, sent, advance } = makeWindow(1);
    window.offer(change('a', '1'));
    window.offer(change('b', '1'));
    window.offer(change('b', '2'));
    window.offer(change('b', '3'));
    expect(sent).toEqual(['a@1']);
    window.ack('a', '1');
    window.pump();
    expect(sent).toEqual(['a@1', 'b@3']);
    expect(window.ack('b', '2')).toBe(false);
    advance(150);
    window.resendDue();
    expect(sent).toEqual(['a@1', 'b@3', 'b@3']);
    expect(window.ack('b', '3')).toBe(true);
    expect(window.depth).toBe(0);
  });

  it('resends only after the timeout, and counts it', () => {
    const { window, sent, advance, resends } = makeWindow(4);
    window.offer(change('a', '1'));
    advance(50);
    expect(window.resendDue()).toBe(0);
    advance(60);
    expect(window.resendDue()).toBe(1);
    expect(sent).toEqual(['a@1', 'a@1']);
    expect(resends()).toBe(1);
  });

  it('a newer version of an in-flight object goes out at once', () => {
    const { window, sent } = makeWindow(1);
    window.offer(change('a', '1'));
    window.offer(change('a', '2'));
    expect(sent).toEqual(['a@1', 'a@2']);
    expect(window.ack('a', '1')).toBe(false);
    expect(window.inFlightCount).toBe(1);
  });

  it('skips and reports an object whose frame is larger than the edge accepts, and sends the rest (R37)', () => {
    const { window, sent, undeliverable } = makeWindow(2, 100);
    window.offer(change('a', '1'));
    window.offer({ uid: 'big', resourceVersion: '1', frame: () => 'é'.repeat(60) });
    window.offer(change('c', '1'));
    expect(sent).toEqual(['a@1', 'c@1']);
    expect(undeliverable).toEqual([{ uid: 'big', bytes: 120 }]);
    expect(window.depth).toBe(2);
  });
});
