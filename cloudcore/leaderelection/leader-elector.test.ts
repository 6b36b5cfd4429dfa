import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/types.js';
import { silentLogger } from '../../shared/logging.js';
import { createObject, type ApiContext } from '../apiserver/index.js';
import { memoryApiContext } from '../../test/helpers/memory-api.js';
import { advanceUntil, manualClock, storeCalls, type ManualClock } from '../../test/helpers/election-harness.js';
import { createLeaderElector, type LeaderElector } from './leader-elector.js';
import { createLeaseLock } from './lease-lock.js';
import { microTime } from './lease-record.js';

const LEASE = { namespace: 'kube-system', name: 'outpost-controller-manager' };
const TIMINGS = { leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 };

interface Candidate {
  elector: LeaderElector;
  /** Aborting it is a process that died: no more renewals, no release. */
  abort: AbortController;
  registry: Registry;
  /** When (test clock) each term started and ended. */
  terms: Array<{ started: number; stopped?: number }>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const storeAbort = new AbortController();
  const api = await memoryApiContext(storeAbort.signal);
  cleanups.push(async () => storeAbort.abort());
  const clock = manualClock();
  const calls = storeCalls();
  const candidate = (identity: string, options: { fail?: () => boolean; soleCandidate?: boolean; startLeading?: () => Promise<void> } = {}): Candidate => {
    const terms: Candidate['terms'] = [];
    const registry = new Registry();
    const elector = createLeaderElector({
      api: calls.track(api, options.fail),
      ...LEASE,
      identity,
      ...TIMINGS,
      onStartedLeading: async () => {
        terms.push({ started: clock.now() });
        await options.startLeading?.();
      },
      onStoppedLeading: async () => {
        const term = terms.at(-1);
        if (term !== undefined) term.stopped = clock.now();
      },
      soleCandidate: options.soleCandidate ?? false,
      logger: silentLogger(),
      metricsRegistry: registry,
      clock,
      random: () => 0,
    });
    const abort = new AbortController();
    cleanups.push(() => elector.stop());
    return { elector, abort, registry, terms };
  };
  const start = (c: Candidate): Promise<void> => c.elector.start(c.abort.signal);
  const lease = async (): Promise<Record<string, unknown>> => {
    const obj = await api.objects.get(api.registry.get('coordination.k8s.io', 'v1', 'leases')!, LEASE.namespace, LEASE.name);
    return (obj?.spec ?? {}) as Record<string, unknown>;
  };
  return { api, clock, calls, candidate, start, lease };
}

async function masterStatus(registry: Registry): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('leader_election_master_status')?.get();
  return metric?.values.find((v) => v.labels.name === LEASE.name)?.value;
}

function leaderCount(...candidates: Candidate[]): number {
  return candidates.filter((c) => c.elector.isLeader()).length;
}

async function putReleasedLease(api: ApiContext, clock: ManualClock, transitions: number): Promise<void> {
  const spec = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(clock.now()), renewTime: microTime(clock.now()), leaseTransitions: transitions };
  const lease: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: LEASE, spec };
  await createObject(api, api.registry.get('coordination.k8s.io', 'v1', 'leases')!, lease, { dryRun: false });
}

describe('leader election over a Lease', () => {
  it('of two candidates exactly one leads, and the Lease says so as Kubernetes writes it', async () => {
    const { candidate, start, lease } = await setup();
    const a = candidate('host_a');
    const b = candidate('host_b');
    await start(a);
    await start(b);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(a.terms).toHaveLength(1);
    expect(b.elector.observedLeader()).toBe('host_a');
    const spec = await lease();
    expect(spec).toMatchObject({ holderIdentity: 'host_a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(spec.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(spec.renewTime).toBe(spec.acquireTime);
    expect(await masterStatus(a.registry)).toBe(1);
    expect(await masterStatus(b.registry)).toBe(0);
  });

  it('the leader renews every retry period and keeps its acquireTime; the other never leads meanwhile', async () => {
    const { clock, calls, candidate, start, lease } = await setup();
    const a = candidate('host_a');
    const b = candidate('host_b');
    await start(a);
    await start(b);
    const first = await lease();
    for (let i = 1; i <= 15; i++) {
      clock.advance(2000);
      await calls.settle();
      expect(leaderCount(a, b)).toBe(1);
      expect((await lease()).renewTime).toBe(microTime(clock.now()));
    }
    expect(a.elector.isLeader()).toBe(true);
    expect(await lease()).toMatchObject({ holderIdentity: 'host_a', acquireTime: first.acquireTime, leaseTransitions: 0 });
  });

  it('a leader that dies without releasing is replaced once the lease expires, within leaseDuration + retryPeriod', async () => {
    const { clock, calls, candidate, start, lease } = await setup();
    const a = candidate('host_a');
    const b = candidate('host_b');
    await start(a);
    await start(b);
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await calls.settle();
    }
    const lastRenewal = Date.parse(String((await lease()).renewTime));
    const died = clock.now();
    a.abort.abort();
    await calls.settle();
    expect(a.elector.isLeader()).toBe(false);
    const takeover = await advanceUntil(clock, calls, () => b.elector.isLeader(), { stepMs: 250, maxMs: 60_000 });
    // Never before the lease has gone unrenewed for its duration; at most one retry after that.
    expect(takeover).toBeGreaterThanOrEqual(lastRenewal + 15_000);
    expect(takeover - died).toBeLessThanOrEqual((15 + 2) * 1000);
    expect(await lease()).toMatchObject({ holderIdentity: 'host_b', leaseTransitions: 1, acquireTime: microTime(takeover) });
    expect(await masterStatus(b.registry)).toBe(1);
    expect(await masterStatus(a.registry)).toBe(0);
  });

  it('a leader that stops releases the lease after its controllers stopped, and the other takes over at its next retry', async () => {
    const { clock, calls, candidate, start, lease } = await setup();
    const a = candidate('host_a');
    const b = candidate('host_b');
    await start(a);
    await start(b);
    await a.elector.stop();
    expect(a.terms[0]?.stopped).toBe(clock.now());
    expect(await lease()).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    const takeover = await advanceUntil(clock, calls, () => b.elector.isLeader(), { stepMs: 250, maxMs: 60_000 });
    expect(takeover - (a.terms[0]?.stopped ?? 0)).toBeLessThanOrEqual(2000);
    expect(await lease()).toMatchObject({ holderIdentity: 'host_b', leaseDurationSeconds: 15, leaseTransitions: 1 });
  });

  it('two candidates racing for a free lease: one wins by compare-and-swap, the other loses cleanly', async () => {
    const { api, clock, calls, candidate, start, lease } = await setup();
    await putReleasedLease(api, clock, 3);
    const a = candidate('host_a');
    const b = candidate('host_b');
    await Promise.all([start(a), start(b)]);
    expect(leaderCount(a, b)).toBe(1);
    expect((await lease()).leaseTransitions).toBe(4);
    for (let i = 0; i < 5; i++) {
      clock.advance(2000);
      await calls.settle();
      expect(leaderCount(a, b)).toBe(1);
    }
    expect((await lease()).leaseTransitions).toBe(4);
  });

  it('a write with a stale resourceVersion is lost (409), not an error', async () => {
    const { api, clock } = await setup();
    await putReleasedLease(api, clock, 0);
    const lock = createLeaseLock(api, LEASE.namespace, LEASE.name);
    const read = await lock.get();
    if (read.state !== 'present') throw new Error(`expected the lease, got ${read.state}`);
    const record = { ...read.lease.record, holderIdentity: 'host_a', leaseDurationSeconds: 15 };
    expect((await lock.update(record, read.lease.resourceVersion)).state).toBe('written');
    const stale = await lock.update({ ...record, holderIdentity: 'host_b' }, read.lease.resourceVersion);
    expect(stale.state).toBe('lost');
    expect((await lock.create(record)).state).toBe('lost');
  });

  it('a leader that cannot renew within the renew deadline stops its controllers before anyone else may lead', async () => {
    const { clock, calls, candidate, start } = await setup();
    let unreachable = false;
    const a = candidate('host_a', { fail: () => unreachable });
    const b = candidate('host_b');
    await start(a);
    await start(b);
    unreachable = true;
    const cut = clock.now();
    const stopped = await advanceUntil(clock, calls, () => !a.elector.isLeader(), { stepMs: 250, maxMs: 30_000 });
    expect(stopped - cut).toBeLessThanOrEqual(10_000 + 2000);
    expect(a.terms[0]?.stopped).toBe(stopped);
    const takeover = await advanceUntil(clock, calls, () => b.elector.isLeader(), { stepMs: 250, maxMs: 60_000 });
    expect(takeover).toBeGreaterThan(stopped);
    // Reachable again, the old leader is a candidate that sees the new one and stays behind.
    unreachable = false;
    await advanceUntil(clock, calls, () => a.elector.observedLeader() === 'host_b', { stepMs: 1000, maxMs: 10_000 });
    for (let i = 0; i < 10; i++) {
      clock.advance(2000);
      await calls.settle();
      expect(leaderCount(a, b)).toBe(1);
    }
    expect(b.elector.isLeader()).toBe(true);
  });

  it('controllers slow to start do not let the lease lapse: renewals go on meanwhile', async () => {
    const { clock, calls, candidate, start, lease } = await setup();
    let finishStart = (): void => undefined;
    const a = candidate('host_a', { startLeading: () => new Promise<void>((resolve) => (finishStart = resolve)) });
    const b = candidate('host_b');
    const aStarted = start(a);
    await calls.settle();
    await start(b);
    for (let i = 0; i < 15; i++) {
      clock.advance(2000);
      await calls.settle();
      expect(b.elector.isLeader()).toBe(false);
    }
    expect((await lease()).renewTime).toBe(microTime(clock.now()));
    finishStart();
    await aStarted;
    expect(a.elector.isLeader()).toBe(true);
  });

  it('a leader whose controllers fail to start stops leading, and tries again later', async () => {
    const { clock, calls, candidate, start } = await setup();
    let failures = 1;
    const a = candidate('host_a', {
      startLeading: async () => {
        if (failures-- > 0) throw new Error('a controller failed to start');
      },
    });
    await start(a);
    await calls.settle();
    expect(a.terms[0]?.stopped).toBeDefined();
    expect(a.elector.isLeader()).toBe(false);
    await advanceUntil(clock, calls, () => a.elector.isLeader(), { stepMs: 1000, maxMs: 10_000 });
    expect(a.terms).toHaveLength(2);
    expect(a.terms[1]?.stopped).toBeUndefined();
  });

  it('a sole candidate takes over at once the lease its dead predecessor left', async () => {
    const { clock, calls, candidate, start, lease } = await setup();
    const before = candidate('host_before');
    await start(before);
    before.abort.abort();
    await calls.settle();
    clock.advance(1000);
    const after = candidate('host_after', { soleCandidate: true });
    await start(after);
    expect(after.elector.isLeader()).toBe(true);
    expect(await lease()).toMatchObject({ holderIdentity: 'host_after', leaseTransitions: 1 });
  });
});
