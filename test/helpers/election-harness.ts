import type { ApiContext } from '../../cloudcore/apiserver/index.js';
import type { Clock } from '../../cloudcore/informers/index.js';
import { OutpostError } from '../../shared/errors.js';

/**
 * What the leader-election tests share: a clock the test moves, and API contexts whose store calls
 * the test can wait out, so that "after N seconds" is exact and no test waits for wall time.
 */
export interface ManualClock extends Clock {
  /** Moves the time forward and wakes every sleeper whose time has come. */
  advance(ms: number): void;
}

export function manualClock(startMs = Date.parse('2026-01-01T00:00:00Z')): ManualClock {
  let now = startMs;
  const sleepers = new Set<{ at: number; wake: () => void }>();
  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const sleeper = {
          at: now + ms,
          wake: () => {
            sleepers.delete(sleeper);
            signal.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.add(sleeper);
        signal.addEventListener('abort', sleeper.wake, { once: true });
      });
    },
    advance(ms) {
      now += ms;
      for (const sleeper of [...sleepers].sort((a, b) => a.at - b.at)) if (sleeper.at <= now) sleeper.wake();
    },
  };
}

/** Counts store calls in flight through the contexts it hands out. */
export interface StoreCalls {
  /** The same API, its store calls counted; `fail` makes them fail (a datastore this process cannot reach). */
  track(api: ApiContext, fail?: () => boolean): ApiContext;
  /** Resolves once no store call has been in flight for several turns of the event loop. */
  settle(): Promise<void>;
}

export function storeCalls(): StoreCalls {
  let inFlight = 0;
  return {
    track(api, fail = () => false) {
      const objects = new Proxy(api.objects, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (fail()) return Promise.reject(new OutpostError('Unavailable', 'the datastore is unreachable (test)'));
            inFlight++;
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            return Promise.resolve(result).finally(() => inFlight--);
          };
        },
      });
      return { ...api, objects };
    },
    async settle() {
      let quiet = 0;
      while (quiet < 5) {
        await new Promise((resolve) => setImmediate(resolve));
        quiet = inFlight === 0 ? quiet + 1 : 0;
      }
    },
  };
}

/** Moves the clock in steps, settling after each, until `done` holds; returns the clock's time then. */
export async function advanceUntil(clock: ManualClock, calls: StoreCalls, done: () => boolean, options: { stepMs: number; maxMs: number }): Promise<number> {
  const until = clock.now() + options.maxMs;
  await calls.settle();
  while (!done()) {
    if (clock.now() >= until) throw new Error(`condition not reached within ${options.maxMs} ms of the test clock`);
    clock.advance(options.stepMs);
    await calls.settle();
  }
  return clock.now();
}
