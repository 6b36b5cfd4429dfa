import { describe, expect, it } from 'vitest';
import { HandshakeAdmission } from './handshake-admission.js';

function clock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('HandshakeAdmission (protocol.md R46)', () => {
  const settings = { maxInFlight: 2, minRetryMs: 50, maxRetryMs: 5000, initialHandshakeMs: 100 };

  it('admits up to the bound, defers the rest, and admits again once a slot is released', () => {
    const c = clock();
    const gate = new HandshakeAdmission(settings, c.now);
    const a = gate.tryAdmit();
    const b = gate.tryAdmit();
    expect(a.admitted && b.admitted).toBe(true);
    expect(gate.inFlight).toBe(2);
    const deferred = gate.tryAdmit();
    expect(deferred.admitted).toBe(false);
    if (a.admitted) a.release();
    expect(gate.inFlight).toBe(1);
    expect(gate.tryAdmit().admitted).toBe(true);
    expect(gate.admittedTotal).toBe(3);
    expect(gate.deferredTotal).toBe(1);
  });

  it('releasing twice frees one slot only', () => {
    const gate = new HandshakeAdmission(settings, clock().now);
    const a = gate.tryAdmit();
    gate.tryAdmit();
    if (!a.admitted) throw new Error('expected admission');
    a.release();
    a.release();
    expect(gate.inFlight).toBe(1);
  });

  it('gives successive deferrals successive slots at the pace handshakes finish', () => {
    const c = clock();
    const gate = new HandshakeAdmission(settings, c.now);
    gate.tryAdmit();
    gate.tryAdmit();
    const waits = Array.from({ length: 4 }, () => {
      const d = gate.tryAdmit();
      if (d.admitted) throw new Error('expected a deferral');
      return d.retryAfterMs;
    });
    // 100 ms per handshake over 2 slots: one slot every 50 ms, after the 50 ms minimum.
    expect(waits).toEqual([100, 150, 200, 250]);
  });

  it('a deferral never names less than the minimum nor more than the maximum', () => {
    const c = clock();
    const gate = new HandshakeAdmission({ ...settings, maxRetryMs: 300 }, c.now);
    gate.tryAdmit();
    gate.tryAdmit();
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      const d = gate.tryAdmit();
      if (!d.admitted) waits.push(d.retryAfterMs);
    }
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...waits)).toBe(300);
    // Once the cursor is in the past, a new deferral starts again from now plus the minimum.
    c.advance(10_000);
    const later = gate.tryAdmit();
    expect(later.admitted ? -1 : later.retryAfterMs).toBe(100);
  });

  it('learns the handshake time from released handshakes', () => {
    const c = clock();
    const gate = new HandshakeAdmission(settings, c.now);
    for (let i = 0; i < 50; i++) {
      const a = gate.tryAdmit();
      c.advance(10);
      if (a.admitted) a.release();
    }
    expect(gate.averageHandshakeMs).toBeLessThan(15);
  });

  it('a slot given up on frees the slot without counting its time', () => {
    const c = clock();
    const gate = new HandshakeAdmission(settings, c.now);
    const a = gate.tryAdmit();
    c.advance(10_000);
    if (a.admitted) a.release(false);
    expect(gate.inFlight).toBe(0);
    expect(gate.averageHandshakeMs).toBe(100);
  });

  it('refuses a bound below one', () => {
    expect(() => new HandshakeAdmission({ ...settings, maxInFlight: 0 })).toThrow(RangeError);
  });
});
