/** The prober's time: injectable so that probe timing is tested with a fake clock. */
export interface ProbeClock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Timers unref'd: a pending probe never keeps edgecore alive. */
export const systemClock: ProbeClock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs)).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
