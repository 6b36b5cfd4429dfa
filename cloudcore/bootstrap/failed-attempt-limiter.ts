/**
 * Limits failed token attempts per source address, so a token's secret cannot be guessed at
 * network speed. Successful joins are not counted. A sliding window per address; the table is
 * pruned as it is used, so a scan from many addresses cannot grow it without bound for long.
 */
export interface FailedAttemptLimiter {
  /** Seconds to wait when the address is over its limit, or 0 when it may try. */
  retryAfterSeconds(address: string): number;
  recordFailure(address: string): void;
}

const MAX_TRACKED_ADDRESSES = 10_000;

export function createFailedAttemptLimiter(maxFailures: number, windowMs: number, now: () => number = Date.now): FailedAttemptLimiter {
  const failures = new Map<string, number[]>();
  const recent = (address: string): number[] => {
    const since = now() - windowMs;
    const kept = (failures.get(address) ?? []).filter((t) => t > since);
    if (kept.length === 0) failures.delete(address);
    else failures.set(address, kept);
    return kept;
  };
  return {
    retryAfterSeconds(address) {
      const kept = recent(address);
      if (kept.length < maxFailures) return 0;
      const oldest = kept[0] ?? now();
      return Math.max(1, Math.ceil((oldest + windowMs - now()) / 1000));
    },
    recordFailure(address) {
      if (failures.size >= MAX_TRACKED_ADDRESSES) {
        for (const key of [...failures.keys()].slice(0, MAX_TRACKED_ADDRESSES / 10)) recent(key);
      }
      failures.set(address, [...recent(address), now()]);
    },
  };
}
