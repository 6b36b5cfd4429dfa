/**
 * Per-key retry delays, as client-go's ItemExponentialFailureRateLimiter: the n-th failure in a
 * row of one key waits base × 2^(n-1), capped; a success forgets the key.
 */
export interface ItemBackoff {
  next(key: string): number;
  forget(key: string): void;
}

export function createItemBackoff(baseMs = 5, maxMs = 1_000_000): ItemBackoff {
  const failures = new Map<string, number>();
  return {
    next(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      return Math.min(maxMs, baseMs * 2 ** Math.min(n, 40));
    },
    forget(key) {
      failures.delete(key);
    },
  };
}
