import type { Registry } from 'prom-client';
import { errorMessage } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { ApiContext } from '../apiserver/index.js';
import { systemClock } from '../informers/clock.js';
import type { Clock } from '../informers/index.js';
import { LeaseAttempts, type AttemptOutcome } from './acquire-or-renew.js';
import { createLeaseLock } from './lease-lock.js';
import { createLeaderMetrics } from './leader-metrics.js';

export interface LeaderElectorOptions {
  /** The API's in-process context: the Lease is read and written through it. */
  api: ApiContext;
  namespace: string;
  name: string;
  /** `<hostname>_<uuid>`, unique per process (leaderIdentity()). */
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  /** Leadership began: start what runs on the leader; resolve once it has started. `signal` aborts when the term ends. */
  onStartedLeading(signal: AbortSignal): Promise<void>;
  /** Leadership ended (lost, or stopping): resolve once what ran on the leader has stopped. */
  onStoppedLeading(): Promise<void>;
  /** No other cloudcore can be a candidate (an exclusive datastore): see acquire-or-renew.ts. Default false. */
  soleCandidate?: boolean;
  logger: Logger;
  /** Where `leader_election_master_status` is registered (the API's /metrics). */
  metricsRegistry?: Registry;
  clock?: Clock;
  /** client-go's JitterFactor for a candidate's retries (1.2); the random source is for tests. */
  jitterFactor?: number;
  random?: () => number;
}

export interface LeaderElector extends Module {
  readonly identity: string;
  isLeader(): boolean;
  /** The holder last seen: undefined before the first reading, '' when released. */
  observedLeader(): string | undefined;
}

/**
 * client-go's leader election over a coordination.k8s.io/v1 Lease (docs/leader-election.md).
 * start() makes the first attempt at once and, when it wins, resolves only after
 * onStartedLeading has: a lone cloudcore runs its controllers when it says it is ready. After
 * that a candidate retries every retryPeriod (jittered) and a leader renews every retryPeriod.
 *
 * A leader that cannot renew within renewDeadline stops leading and becomes a candidate again.
 * kube-controller-manager exits instead; cloudcore cannot, because the same process serves the
 * API and the edges' sessions, which must outlive a lost election: it stops its controllers
 * (awaiting their stop) before the lease can expire for anyone else (renewDeadline <
 * leaseDuration), then competes again.
 *
 * Aborting start()'s signal ends the loop and the term without giving the lease back; stop()
 * also releases it (client-go's ReleaseOnCancel), after the controllers have stopped, so that
 * another cloudcore takes over at its next retry.
 */
export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const jitterFactor = options.jitterFactor ?? 1.2;
  const lock = createLeaseLock(options.api, options.namespace, options.name);
  const attempts = new LeaseAttempts({ lock, identity: options.identity, leaseDurationSeconds: options.leaseDurationSeconds, soleCandidate: options.soleCandidate ?? false, logger: options.logger });
  const metrics = createLeaderMetrics(options.name, options.metricsRegistry);
  const retryMs = options.retryPeriodSeconds * 1000;
  const renewDeadlineMs = options.renewDeadlineSeconds * 1000;
  const loopAbort = new AbortController();
  const log = { lease: lock.describe, identity: options.identity };
  /** The current term: its signal, and whether what runs on the leader started. */
  let term: { abort: AbortController; started: Promise<boolean> } | undefined;
  let started: Promise<void> | undefined;
  let loop: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;

  /** One attempt; a thrown error (a bug, a store fault) counts as a failed attempt, logged. */
  async function attempt(): Promise<AttemptOutcome> {
    try {
      return await attempts.tryAcquireOrRenew(clock.now());
    } catch (err) {
      options.logger.warn({ ...log, reason: errorMessage(err) }, 'leader lease attempt failed');
      return 'failed';
    }
  }

  /** An attempt that has not answered by `deadline` failed: a hung datastore must not keep a leader leading. */
  async function attemptBefore(deadline: number): Promise<AttemptOutcome> {
    const timer = new AbortController();
    const expired = clock.sleep(Math.max(0, deadline - clock.now()), timer.signal).then(() => 'failed' as const);
    try {
      return await Promise.race([attempt(), expired]);
    } finally {
      timer.abort();
    }
  }

  /**
   * Starts what runs on the leader, while the loop goes on renewing (client-go runs
   * OnStartedLeading beside its renewals too): controllers slow to start never let the lease
   * lapse. A failed start aborts the term's signal; the loop then ends the term.
   */
  function beginTerm(): Promise<boolean> {
    const abort = new AbortController();
    metrics.setLeading(true);
    options.logger.info(log, 'became leader');
    const startedLeading = options.onStartedLeading(abort.signal).then(
      () => true,
      (err: unknown) => {
        options.logger.error({ ...log, reason: errorMessage(err) }, 'what runs on the leader failed to start');
        abort.abort();
        return false;
      },
    );
    term = { abort, started: startedLeading };
    return startedLeading;
  }

  async function endTerm(reason: string): Promise<void> {
    const ending = term;
    if (ending === undefined) return;
    term = undefined;
    metrics.setLeading(false);
    ending.abort.abort();
    options.logger.info({ ...log, reason }, 'stopped leading');
    // A start still under way sees the aborted signal; what it started is stopped once it settles.
    await ending.started;
    try {
      await options.onStoppedLeading();
    } catch (err) {
      options.logger.error({ ...log, reason: errorMessage(err) }, 'what ran on the leader failed to stop');
    }
  }

  /**
   * Renews every retryPeriod until a renewal misses the renew deadline, another holds the lease,
   * the term's start failed, or the loop ends. Times are taken when an attempt begins, so the
   * deadline errs early, never late.
   */
  async function renewWhileLeading(termSignal: AbortSignal, acquiredAt: number): Promise<string | undefined> {
    const wake = AbortSignal.any([loopAbort.signal, termSignal]);
    let lastRenewal = acquiredAt;
    for (;;) {
      await clock.sleep(retryMs, wake);
      if (loopAbort.signal.aborted) return undefined;
      if (termSignal.aborted) return 'what runs on the leader failed to start';
      const attemptedAt = clock.now();
      const outcome = await attemptBefore(lastRenewal + renewDeadlineMs);
      if (outcome === 'acquired') lastRenewal = attemptedAt;
      else if (outcome === 'held-by-other') return 'another process holds the lease';
      else if (clock.now() >= lastRenewal + renewDeadlineMs) return `no renewal within the renew deadline (${options.renewDeadlineSeconds} s)`;
    }
  }

  async function run(acquiredAt: number | undefined): Promise<void> {
    let leadingSince = acquiredAt;
    while (!loopAbort.signal.aborted) {
      const current = term;
      if (current !== undefined && leadingSince !== undefined) {
        const lost = await renewWhileLeading(current.abort.signal, leadingSince);
        await endTerm(lost ?? 'stopping');
        leadingSince = undefined;
        continue;
      }
      await clock.sleep(retryMs * (1 + random() * jitterFactor), loopAbort.signal);
      if (loopAbort.signal.aborted) break;
      const attemptedAt = clock.now();
      if ((await attempt()) === 'acquired') {
        leadingSince = attemptedAt;
        void beginTerm();
      }
    }
    await endTerm('stopping');
  }

  return {
    name: 'leader-election',
    identity: options.identity,
    isLeader: () => term !== undefined,
    observedLeader: () => attempts.observedHolder(),
    start(signal) {
      started ??= (async () => {
        if (signal.aborted) loopAbort.abort();
        else signal.addEventListener('abort', () => loopAbort.abort(), { once: true });
        options.logger.info(log, 'attempting to acquire the leader lease');
        const attemptedAt = clock.now();
        if ((await attempt()) !== 'acquired') {
          loop = run(undefined);
          return;
        }
        // Ready once what runs on the leader has started: a lone cloudcore's controllers run when it says it is ready.
        const startedLeading = beginTerm();
        loop = run(attemptedAt);
        await startedLeading;
      })();
      return started;
    },
    stop() {
      stopping ??= (async () => {
        loopAbort.abort();
        await started?.catch(() => undefined);
        await loop;
        const released = await attempts.release(clock.now());
        if (released === 'released') options.logger.info(log, 'released the leader lease');
      })();
      return stopping;
    },
  };
}
