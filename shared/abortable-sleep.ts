/**
 * Resolves after `ms`, or at once when `signal` aborts (also when it already has). A cancelled
 * wait is an expected outcome, not an error: it resolves, and the caller checks the signal.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
