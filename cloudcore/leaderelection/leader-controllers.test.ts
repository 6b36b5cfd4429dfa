import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { createObject, updateObject, type ApiContext } from '../apiserver/index.js';
import { createNodeLifecycleController } from '../controllers/node-lifecycle/index.js';
import { SharedInformerFactory } from '../informers/index.js';
import { memoryApiContext } from '../../test/helpers/memory-api.js';
import { advanceUntil, manualClock, storeCalls } from '../../test/helpers/election-harness.js';
import { waitFor } from '../../test/helpers/poll.js';
import { createLeaderElector } from './leader-elector.js';
import { createLeaderModules } from './leader-modules.js';

/**
 * Two controller sets over one API, as two cloudcores over one datastore: each has its own
 * informers and elector, and runs the node lifecycle controller only while it leads.
 */
const GRACE_MS = 40_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The same API, its writes counted: who wrote, and how often. */
function countingWrites(api: ApiContext): { api: ApiContext; writes: () => number } {
  let writes = 0;
  const objects = new Proxy(api.objects, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'create' || property === 'update' || property === 'delete') {
        return (...args: unknown[]) => {
          writes++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { api: { ...api, objects }, writes: () => writes };
}

describe('controllers under leader election', () => {
  it('only the leader runs the node lifecycle; after it dies the other marks a silent node Unknown', { timeout: 60_000 }, async () => {
    const storeAbort = new AbortController();
    const api = await memoryApiContext(storeAbort.signal);
    cleanups.push(async () => storeAbort.abort());
    const clock = manualClock();
    const calls = storeCalls();
    const nodesDef = api.registry.get('', 'v1', 'nodes')!;
    const leasesDef = api.registry.get('coordination.k8s.io', 'v1', 'leases')!;
    const stamp = (): string => new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const reportReady = async (): Promise<void> => {
      await updateObject(api, nodesDef, {
        namespace: undefined, name: 'edge-1', subresource: 'status', dryRun: false,
        mutate: (n) => ({ ...n, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'EdgeConnected', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() }] } }),
      });
    };
    await createObject(api, nodesDef, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1' } }, { dryRun: false });
    await createObject(api, leasesDef, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'edge-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'edge-1', leaseDurationSeconds: 40 } }, { dryRun: false });
    await reportReady();

    const controllerSet = async (identity: string) => {
      const counted = countingWrites(api);
      const informers = new SharedInformerFactory(api.objects, silentLogger());
      const modules = createLeaderModules(
        () => [createNodeLifecycleController(counted.api, silentLogger(), { gracePeriodMs: GRACE_MS, informers, monitorPeriodMs: 10, clock })],
        silentLogger(),
      );
      const elector = createLeaderElector({
        api: calls.track(api),
        namespace: 'kube-system',
        name: 'outpost-controller-manager',
        identity,
        leaseDurationSeconds: 15,
        renewDeadlineSeconds: 10,
        retryPeriodSeconds: 2,
        onStartedLeading: (signal) => modules.onStartedLeading(signal),
        onStoppedLeading: () => modules.onStoppedLeading(),
        logger: silentLogger(),
        clock,
      });
      const process = new AbortController();
      await informers.start(process.signal);
      await elector.start(process.signal);
      cleanups.push(async () => {
        await elector.stop();
        await informers.stop();
      });
      return { elector, writes: counted.writes, die: () => process.abort() };
    };
    const ready = async (): Promise<string | undefined> => {
      const node = await api.objects.get(nodesDef, undefined, 'edge-1');
      return ((node?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready')?.status;
    };
    const taints = async (): Promise<unknown[]> => ((await api.objects.get(nodesDef, undefined, 'edge-1'))?.spec as { taints?: unknown[] } | undefined)?.taints ?? [];

    /** Time passes in retry periods, so the leader keeps renewing and the other keeps watching it. */
    const advanceBy = async (ms: number): Promise<void> => {
      for (let passed = 0; passed < ms; passed += 2000) {
        clock.advance(2000);
        await calls.settle();
      }
    };
    const a = await controllerSet('host_a');
    const b = await controllerSet('host_b');
    expect(a.elector.isLeader()).toBe(true);

    // The node falls silent: the leader marks it Unknown and taints it; the other writes nothing.
    await advanceBy(GRACE_MS + 2000);
    await waitFor(async () => (await ready()) === 'Unknown' && (await taints()).length > 0, { timeoutMs: 10_000, intervalMs: 10, description: 'the leader to mark edge-1 Unknown' });
    expect(a.writes()).toBeGreaterThan(0);
    expect(b.writes()).toBe(0);

    // The node is back; then the leader dies without releasing its lease.
    await reportReady();
    await waitFor(async () => (await taints()).length === 0, { timeoutMs: 10_000, intervalMs: 10, description: 'the leader to lift the taint' });
    a.die();
    await calls.settle();
    await waitFor(() => !a.elector.isLeader(), { timeoutMs: 10_000, intervalMs: 10, description: 'the dead leader to stop its controllers' });
    const writesOfTheDead = a.writes();

    await advanceUntil(clock, calls, () => b.elector.isLeader(), { stepMs: 500, maxMs: 30_000 });
    // The new leader's controller starts fresh (Kubernetes: a first sighting counts as alive) and judges the silence.
    await advanceBy(GRACE_MS + 2000);
    await waitFor(async () => (await ready()) === 'Unknown', { timeoutMs: 10_000, intervalMs: 10, description: 'the new leader to mark edge-1 Unknown' });
    expect(b.writes()).toBeGreaterThan(0);
    expect(a.writes()).toBe(writesOfTheDead);
  });
});
