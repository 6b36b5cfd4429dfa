import type { Subset } from './desired-subsets.js';

/** Kubernetes' maxCapacity: an Endpoints object holds at most this many addresses. */
export const MAX_ENDPOINTS_ADDRESSES = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/**
 * truncateEndpoints of Kubernetes' endpoints controller: above 1000 addresses, ready ones are kept
 * first; each subset keeps its share (rounded up, the last one what is left). Returns undefined
 * when nothing had to go.
 */
export function truncateSubsets(subsets: readonly Subset[]): Subset[] | undefined {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= MAX_ENDPOINTS_ADDRESSES) return undefined;
  const truncateReady = ready > MAX_ENDPOINTS_ADDRESSES;
  const max = truncateReady ? MAX_ENDPOINTS_ADDRESSES : MAX_ENDPOINTS_ADDRESSES - ready;
  const total = truncateReady ? ready : notReady;
  let room = max;
  return subsets.map((subset) => {
    const pool = (truncateReady ? subset.addresses : subset.notReadyAddresses) ?? [];
    const share = Math.min(Math.ceil((pool.length / total) * max), room);
    const kept = pool.slice(0, share);
    room -= kept.length;
    const { addresses, notReadyAddresses, ...rest } = subset;
    const keptReady = truncateReady ? kept : (addresses ?? []);
    const keptNotReady = truncateReady ? [] : kept;
    return { ...(keptReady.length > 0 ? { addresses: keptReady } : {}), ...(keptNotReady.length > 0 ? { notReadyAddresses: keptNotReady } : {}), ...rest };
  });
}
