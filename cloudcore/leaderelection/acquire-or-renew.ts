import type { Logger } from '../../shared/logging.js';
import type { LeaseLock, LeaseWrite, ObservedLease } from './lease-lock.js';
import { microTime, sameRecord, type LeaderElectionRecord } from './lease-record.js';

/** What one attempt found: the lease is ours now, another holds it, or the API could not tell. */
export type AttemptOutcome = 'acquired' | 'held-by-other' | 'failed';

export interface AcquireOrRenewOptions {
  lock: LeaseLock;
  identity: string;
  leaseDurationSeconds: number;
  /**
   * No other process can be a candidate (docs/leader-election.md § A single cloudcore): a lease
   * another identity holds was left by a predecessor that died without releasing it.
   */
  soleCandidate: boolean;
  logger: Logger;
}

/**
 * client-go's tryAcquireOrRenew, with what it remembers between attempts (docs/leader-election.md
 * § Acquiring and renewing): the record last seen and when this process saw it change, on this
 * process's own clock. A lease is expired when it has not changed for its leaseDurationSeconds
 * since this process saw it change; the renewTime inside, written by another machine's clock, is
 * never compared with ours.
 */
export class LeaseAttempts {
  private observed: ObservedLease | undefined;
  private observedAt = 0;

  constructor(private readonly options: AcquireOrRenewOptions) {}

  /** The holder last seen: undefined before the first reading, '' when the lease was released. */
  observedHolder(): string | undefined {
    return this.observed?.record.holderIdentity;
  }

  async tryAcquireOrRenew(now: number): Promise<AttemptOutcome> {
    const { lock, identity } = this.options;
    const reading = await lock.get();
    if (reading.state === 'failed') {
      this.options.logger.warn({ lease: lock.describe, reason: reading.message }, 'cannot read the leader lease');
      return 'failed';
    }
    if (reading.state === 'absent') {
      const record = this.recordFor(now, undefined);
      return this.settle(await lock.create(record), now);
    }
    const current = reading.lease;
    this.observe(current, now);
    const holder = current.record.holderIdentity;
    const mine = holder === identity;
    if (holder !== '' && !mine && !this.expired(now)) {
      if (!this.options.soleCandidate) return 'held-by-other';
      this.options.logger.info({ lease: lock.describe, previous: holder }, 'taking over the leader lease an earlier process left behind');
    }
    return this.settle(await lock.update(this.recordFor(now, current.record), current.resourceVersion), now);
  }

  /**
   * client-go's release (ReleaseOnCancel): an empty holder and a one-second duration, so that a
   * candidate takes over at its next retry instead of waiting for the lease to expire.
   */
  async release(now: number): Promise<'released' | 'not-held' | 'failed'> {
    const held = this.observed;
    if (held === undefined || held.record.holderIdentity !== this.options.identity) return 'not-held';
    const record: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(now), renewTime: microTime(now), leaderTransitions: held.record.leaderTransitions };
    const written = await this.options.lock.update(record, held.resourceVersion);
    if (written.state === 'written') {
      this.observe(written.lease, now);
      return 'released';
    }
    // Someone else wrote since (a 409): the lease is no longer ours to give back.
    if (written.state === 'lost') return 'not-held';
    this.options.logger.warn({ lease: this.options.lock.describe, reason: written.message }, 'cannot release the leader lease');
    return 'failed';
  }

  /** Our own record: a renewal keeps acquireTime and the count; a takeover counts one more transition. */
  private recordFor(now: number, old: LeaderElectionRecord | undefined): LeaderElectionRecord {
    const renewing = old !== undefined && old.holderIdentity === this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.options.leaseDurationSeconds,
      acquireTime: renewing ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaderTransitions: old === undefined ? 0 : renewing ? old.leaderTransitions : old.leaderTransitions + 1,
    };
  }

  private settle(written: LeaseWrite, now: number): AttemptOutcome {
    if (written.state === 'written') {
      this.observe(written.lease, now);
      return 'acquired';
    }
    if (written.state === 'lost') {
      // The expected race: another candidate wrote first (409). The next reading tells who.
      this.options.logger.debug({ lease: this.options.lock.describe, reason: written.message }, 'lost the race for the leader lease');
      return 'held-by-other';
    }
    this.options.logger.warn({ lease: this.options.lock.describe, reason: written.message }, 'cannot write the leader lease');
    return 'failed';
  }

  private observe(lease: ObservedLease, now: number): void {
    const changed = !sameRecord(this.observed?.record, lease.record);
    const holder = lease.record.holderIdentity;
    if (changed && this.observed?.record.holderIdentity !== holder && holder !== '' && holder !== this.options.identity) {
      this.options.logger.info({ lease: this.options.lock.describe, leader: holder }, 'observed a new leader');
    }
    if (changed) this.observedAt = now;
    this.observed = lease;
  }

  private expired(now: number): boolean {
    const duration = (this.observed?.record.leaseDurationSeconds ?? 0) * 1000;
    return this.observedAt + duration <= now;
  }
}
