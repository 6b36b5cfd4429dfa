import { z } from 'zod';
import type { KubeObject } from '../../shared/k8s/types.js';

/**
 * What a leader election reads from and writes into a coordination.k8s.io/v1 Lease's spec, as
 * client-go's LeaderElectionRecord (docs/leader-election.md § The Lease). An empty holder means the
 * lease is free: a leader that stopped gracefully released it.
 */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** MicroTime strings (RFC 3339 with microseconds), as Kubernetes writes them. */
  acquireTime: string;
  renewTime: string;
  leaderTransitions: number;
}

/**
 * The Lease's spec is read from the store, where any API client with the right to write Leases
 * may have put anything: it is checked before use, and what is missing reads as Kubernetes'
 * zero values (a Lease without a holder is free).
 */
const leaseSpecSchema = z
  .object({
    holderIdentity: z.string().nullish(),
    leaseDurationSeconds: z.number().int().nullish(),
    acquireTime: z.string().nullish(),
    renewTime: z.string().nullish(),
    leaseTransitions: z.number().int().nullish(),
  })
  .loose();

export type RecordReading = { ok: true; record: LeaderElectionRecord } | { ok: false; message: string };

export function readLeaderElectionRecord(lease: KubeObject): RecordReading {
  const parsed = leaseSpecSchema.safeParse(lease.spec ?? {});
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; ') };
  const spec = parsed.data;
  return {
    ok: true,
    record: {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      acquireTime: spec.acquireTime ?? '',
      renewTime: spec.renewTime ?? '',
      leaderTransitions: spec.leaseTransitions ?? 0,
    },
  };
}

/** client-go's LeaderElectionRecordToLeaseSpec: every field written, the holder even when empty. */
export function leaseSpecOf(record: LeaderElectionRecord): Record<string, unknown> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime,
    renewTime: record.renewTime,
    leaseTransitions: record.leaderTransitions,
  };
}

/** Two readings are the same record when every field is equal (client-go compares the raw record). */
export function sameRecord(a: LeaderElectionRecord | undefined, b: LeaderElectionRecord): boolean {
  return (
    a !== undefined &&
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaderTransitions === b.leaderTransitions
  );
}

/** Kubernetes' MicroTime: RFC 3339 in UTC with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
