import mqemitter from 'mqemitter';
import { describe, expect, it } from 'vitest';
import { StackSafeEmitter } from './stack-safe-emitter.js';

/** Far more queued messages than the stack has frames for one recursion each. */
const QUEUED = 50_000;

describe('stack-safe emitter (docs/mqtt-broker.md § The stack guard)', () => {
  it('reproduces the upstream failure: mqemitter unwinds its queue by recursion and overflows the stack', () => {
    const plain = mqemitter({ concurrency: 1 });
    let release: (() => void) | undefined;
    plain.on('held/#', (_message, done) => {
      release = done;
    });
    plain.emit({ topic: 'held/1' }); // takes the only slot and keeps it
    for (let i = 0; i < QUEUED; i += 1) plain.emit({ topic: `nobody/${i % 10}` });
    expect(release).toBeDefined();
    // Each queued message matches nobody, so it finishes inside the call that started it.
    expect(() => release?.()).toThrow(RangeError);
  });

  it('routes the same queue in a loop: every callback runs, in order, no overflow', async () => {
    const safe = new StackSafeEmitter(1);
    let release: (() => void) | undefined;
    safe.on('held/#', (_message, done) => {
      release = done;
    });
    const finished: number[] = [];
    safe.emit({ topic: 'held/1' }, () => finished.push(-1));
    for (let i = 0; i < QUEUED; i += 1) safe.emit({ topic: `nobody/${i % 10}` }, () => finished.push(i));
    expect(safe.length).toBe(QUEUED);
    expect(() => release?.()).not.toThrow();
    await new Promise<void>((resolve) => {
      const check = (): void => (finished.length === QUEUED + 1 ? resolve() : void setImmediate(check));
      check();
    });
    expect(finished[0]).toBe(-1);
    expect(finished.slice(1)).toEqual(Array.from({ length: QUEUED }, (_, i) => i));
    expect(safe.length).toBe(0);
    expect(safe.current).toBe(0);
  });

  it('keeps at most `concurrency` messages in flight and delivers to matching listeners', async () => {
    const safe = new StackSafeEmitter(3);
    const pending: Array<() => void> = [];
    const seen: string[] = [];
    safe.on('a/+', (message, done) => {
      seen.push(message.topic);
      pending.push(done);
    });
    for (let i = 0; i < 10; i += 1) safe.emit({ topic: `a/${i}` });
    expect(safe.current).toBe(3);
    expect(seen).toEqual(['a/0', 'a/1', 'a/2']);
    while (pending.length > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen).toHaveLength(10);
    expect(safe.current).toBe(0);
  });

  it('a callback that emits again is routed by the running loop, not by a nested one', async () => {
    const safe = new StackSafeEmitter(10);
    let emitted = 0;
    const emitNext = (): void => {
      emitted += 1;
      if (emitted < QUEUED) safe.emit({ topic: 'nobody' }, emitNext);
    };
    expect(() => safe.emit({ topic: 'nobody' }, emitNext)).not.toThrow();
    // The loop yields every batch, so the rest is routed on later turns.
    expect(emitted).toBeLessThan(QUEUED);
    await new Promise<void>((resolve) => {
      const check = (): void => (emitted === QUEUED ? resolve() : void setImmediate(check));
      check();
    });
    expect(safe.length).toBe(0);
  });

  it('answers emits after close with an error', async () => {
    const safe = new StackSafeEmitter(1);
    await new Promise<void>((resolve) => safe.close(resolve));
    const error = await new Promise<Error | undefined>((resolve) => safe.emit({ topic: 'x' }, resolve));
    expect(error?.message).toMatch(/closed/);
  });
});
