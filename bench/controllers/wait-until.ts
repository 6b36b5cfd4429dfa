import { abortableSleep } from '../../shared/abortable-sleep.js';

/** Polls `check` every 100 ms until it holds; fails after `timeoutMs` saying what it last saw. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, signal: AbortSignal, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (signal.aborted) throw new Error(`interrupted while waiting: ${describe()}`);
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${describe()}`);
    await abortableSleep(100, signal);
  }
}
