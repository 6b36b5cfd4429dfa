import { describe, expect, it } from 'vitest';
import { Backoff, formatGoDuration } from './backoff.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Backoff (kubelet flowcontrol semantics)', () => {
  it('lets the first restart happen at once, then waits 10 s, 20 s, … up to 5 min', () => {
    const c = clock();
    const b = new Backoff({ initialMs: 10_000, maxMs: 300_000 }, c.now);
    const finished = c.now();
    expect(b.remainingSince('k', finished)).toBe(0);
    b.next('k', finished);
    expect(b.get('k')).toBe(10_000);
    c.advance(1_000);
    // The container crashed again right away: 9 s of the 10 s are left.
    expect(b.remainingSince('k', c.now() - 1_000)).toBe(9_000);
    for (let i = 0; i < 10; i++) b.next('k', c.now());
    expect(b.get('k')).toBe(300_000);
  });

  it('starts over once a key was not updated for twice the maximum (10 min by default)', () => {
    const c = clock();
    const b = new Backoff({ initialMs: 10_000, maxMs: 300_000 }, c.now);
    b.next('k', c.now());
    b.next('k', c.now());
    expect(b.get('k')).toBe(20_000);
    c.advance(600_001);
    expect(b.remainingSince('k', c.now())).toBe(0);
    b.next('k', c.now());
    expect(b.get('k')).toBe(10_000);
  });

  it('follows a crash loop as kubelet does: 0, 10, 20, 40 s … 5 min, and starts over after 10 min of running', () => {
    const c = clock();
    const b = new Backoff({ initialMs: 10_000, maxMs: 300_000 }, c.now);
    // Each crash: the container finished at `finished`; the restart waits out the back-off, then Next.
    const waits: number[] = [];
    const crashAndRestart = (ranMs: number): void => {
      c.advance(ranMs);
      const finished = c.now();
      const wait = b.remainingSince('k', finished);
      waits.push(wait);
      c.advance(wait);
      b.next('k', finished);
    };
    for (let i = 0; i < 8; i++) crashAndRestart(1_000);
    expect(waits).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    // A container that ran more than 10 minutes (2 × max) after its last restart starts over.
    crashAndRestart(600_001);
    expect(waits.at(-1)).toBe(0);
    expect(b.get('k')).toBe(10_000);
  });

  it('counts pull back-off from the last failure', () => {
    const c = clock();
    const b = new Backoff({ initialMs: 10_000, maxMs: 300_000 }, c.now);
    expect(b.remainingSinceUpdate('img')).toBe(0);
    b.next('img');
    c.advance(4_000);
    expect(b.remainingSinceUpdate('img')).toBe(6_000);
    c.advance(6_000);
    expect(b.remainingSinceUpdate('img')).toBe(0);
  });

  it('forgets the keys of a pod', () => {
    const c = clock();
    const b = new Backoff({ initialMs: 10, maxMs: 100 }, c.now);
    b.next('uid1_a');
    b.next('uid2_a');
    b.forgetPrefix('uid1_');
    expect(b.get('uid1_a')).toBe(0);
    expect(b.get('uid2_a')).toBe(10);
  });

  it('prints durations as Go does', () => {
    expect(formatGoDuration(10_000)).toBe('10s');
    expect(formatGoDuration(80_000)).toBe('1m20s');
    expect(formatGoDuration(160_000)).toBe('2m40s');
    expect(formatGoDuration(300_000)).toBe('5m0s');
    expect(formatGoDuration(200)).toBe('200ms');
    expect(formatGoDuration(1_500)).toBe('1.5s');
  });
});
