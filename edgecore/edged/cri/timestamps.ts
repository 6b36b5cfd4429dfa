/**
 * CRI times are int64 nanoseconds since the Unix epoch (api.proto: created_at, started_at,
 * finished_at); 0 means "not set". They exceed 2^53, so they travel as decimal strings and are
 * kept as bigint here.
 */
export type Nanos = bigint;

const NANOS_PER_MILLI = 1_000_000n;

/** The instant as a Date (millisecond precision), or undefined for 0 ("not set"). */
export function nanosToDate(nanos: Nanos): Date | undefined {
  if (nanos <= 0n) return undefined;
  return new Date(Number(nanos / NANOS_PER_MILLI));
}

/**
 * RFC 3339 with whole seconds, as Kubernetes serialises metav1.Time
 * (e.g. containerStatuses[].state.running.startedAt); undefined for 0.
 */
export function nanosToRfc3339(nanos: Nanos): string | undefined {
  const date = nanosToDate(nanos);
  if (date === undefined) return undefined;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with nine fractional digits, as in CRI log lines and metav1.MicroTime-style output. */
export function nanosToRfc3339Nano(nanos: Nanos): string | undefined {
  const date = nanosToDate(nanos);
  if (date === undefined) return undefined;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return date.toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
}

/** Milliseconds since the epoch (for Date.now() style arithmetic) to CRI nanoseconds. */
export function millisToNanos(millis: number): Nanos {
  return BigInt(Math.trunc(millis)) * NANOS_PER_MILLI;
}
