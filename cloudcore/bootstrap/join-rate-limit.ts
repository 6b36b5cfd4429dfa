import { createFailedAttemptLimiter } from './failed-attempt-limiter.js';

/**
 * Who may try a join now (docs/limits.md § Join). Failures count twice: against the token id, so
 * one token's secret cannot be guessed at network speed from many addresses, and against the
 * source address, so one address cannot scan for ids. Successful joins never count, and an
 * address over its limit is refused only when its attempt fails: valid edges behind one NAT keep
 * joining while a neighbour's bad token is refused.
 */
export interface JoinRateLimit {
  /** Seconds to wait before any attempt with this token id is checked, or 0. */
  beforeJoin(tokenId: string | undefined): number;
  /** Records a failed attempt; seconds to wait when the address was already at its limit, or 0. */
  afterFailure(tokenId: string | undefined, address: string): number;
}

export function createJoinRateLimit(maxFailures: number, windowMs: number, now: () => number = Date.now): JoinRateLimit {
  const byTokenId = createFailedAttemptLimiter(maxFailures, windowMs, now);
  const byAddress = createFailedAttemptLimiter(maxFailures, windowMs, now);
  return {
    beforeJoin(tokenId) {
      return tokenId === undefined ? 0 : byTokenId.retryAfterSeconds(tokenId);
    },
    afterFailure(tokenId, address) {
      if (tokenId !== undefined) byTokenId.recordFailure(tokenId);
      const wait = byAddress.retryAfterSeconds(address);
      byAddress.recordFailure(address);
      return wait;
    },
  };
}
