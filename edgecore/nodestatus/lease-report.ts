import type { EdgeStore } from '../metamanager/index.js';

export interface LeaseOptions {
  /** How often a connected edge renews its Lease (kubelet: 10 s, a quarter of the duration). */
  renewIntervalMs: number;
  /** spec.leaseDurationSeconds (kubelet: 40). */
  durationSeconds: number;
}

export const DEFAULT_LEASE: LeaseOptions = { renewIntervalMs: 10_000, durationSeconds: 40 };

/** A MicroTime as the API writes it: RFC 3339 with six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Queues a Lease renewal (protocol.md R23). Every renewal uses the one outbox key
 * `lease/<node>`, so renewals made while a previous one is unanswered coalesce into one row
 * (R14) instead of becoming durable history. It carries the outbox's depth as it stands before
 * the renewal is queued (R48), so the cloud learns it at the Lease's pace, with no write of its own.
 */
export function queueLeaseRenewal(store: EdgeStore, nodeName: string, durationSeconds: number, now: Date): number {
  const outboxDepth = store.outbox.size;
  return store.outbox.enqueue(`lease/${nodeName}`, 'lease', {
    nodeName,
    holderIdentity: nodeName,
    leaseDurationSeconds: durationSeconds,
    renewTime: microTime(now),
    outboxDepth,
  });
}
