import { describe, expect, it } from 'vitest';
import { DialLimiter } from './dial-limiter.js';

describe('DialLimiter', () => {
  it('never runs more than its limit at once and runs every task', async () => {
    const limiter = new DialLimiter(3);
    let peak = 0;
    const release: Array<() => void> = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      limiter.run(async () => {
        peak = Math.max(peak, limiter.inFlight);
        await new Promise<void>((resolve) => release.push(resolve));
        return i;
      }),
    );
    while (release.length > 0 || limiter.inFlight > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new DialLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next');
  });
});
