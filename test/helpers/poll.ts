/**
 * The one way tests wait for something to become true: call `check` until it returns a truthy
 * value, and give that value back. Tests wait for a condition, not for a fixed time
 * (docs/architecture.md § Tests): they poll it with a deadline and, on timeout, say what they
 * waited for and what they saw last, so a failure explains itself.
 *
 * This file imports neither cloudcore/ nor edgecore/, so unit tests beside the code of either
 * half may use it (docs/architecture.md § The dependency rule).
 */

export interface WaitForOptions {
  /** How long to keep trying before failing. */
  timeoutMs: number;
  /** Pause between two checks; 100 ms unless said. */
  intervalMs?: number;
  /** What is awaited, for the timeout message; a function is called only on timeout. */
  description: string | (() => string);
  /** Stops waiting early, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** The error a timed-out wait throws: it names what was awaited and the last value or error seen. */
export class WaitTimeoutError extends Error {
  readonly code = 'WaitTimeout';
  constructor(
    message: string,
    readonly lastValue: unknown,
    readonly lastError: unknown,
  ) {
    super(message, lastError === undefined ? undefined : { cause: lastError });
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Calls `check` at once and then every `intervalMs` until it returns (or resolves to) a truthy
 * value, which it returns. A check that throws counts as "not yet": its error is kept and shown if
 * the wait times out. The last check runs at or after the deadline, so a slow machine still gets
 * its full `timeoutMs`.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions): Promise<Truthy<T>> {
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + options.timeoutMs;
  let lastValue: unknown;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
      lastValue = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeoutError(options, lastValue, lastError);
    await sleep(Math.min(intervalMs, remaining), options.signal);
  }
}

function timeoutError(options: WaitForOptions, lastValue: unknown, lastError: unknown): WaitTimeoutError {
  const what = typeof options.description === 'function' ? options.description() : options.description;
  const last = lastError !== undefined ? `last error: ${errorText(lastError)}` : `last value: ${valueText(lastValue)}`;
  return new WaitTimeoutError(`timed out after ${options.timeoutMs} ms waiting for ${what} (${last})`, lastValue, lastError);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : valueText(error);
}

/** A short rendering of a value for the timeout message; long values are cut. */
function valueText(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch (error) {
    // Circular or otherwise unserialisable: String() still says what kind of thing it was.
    text = `${String(value)} (not JSON: ${error instanceof Error ? error.message : String(error)})`;
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
