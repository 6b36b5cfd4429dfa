import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../api/kube-client.js';
import { readCloudExpectation, type CloudExpectation } from './cloud-expectation.js';
import { describeDiff, diffInventory, isConverged } from './convergence.js';
import { readEdgeInventory } from './edge-inventory.js';
import { startEdge, waitConnected, type EdgeLayout, type RunningEdge } from './edge-launcher.js';
import { applyOfflineChanges, type ChangeRunFigures } from './offline-changes.js';
import { planOfflineChanges, type OfflinePlan, type PlannedChange } from './offline-plan.js';

const POD = 'Pod';
const CONFIG_MAP = 'ConfigMap';
const POLL_MS = 20;
const EXPECTATION_REFRESH_MS = 5_000;

/**
 * Whether the cloud sends the configmaps a node's pods reference. Until EdgeController does,
 * only pods are compared, and the report says so.
 */
export type ConfigMapSync = 'synced' | 'not-synced' | 'partial';

export interface ResyncFigures {
  seededPods: number;
  seededConfigMaps: number;
  configMaps: ConfigMapSync;
  changes: ChangeRunFigures & { counts: OfflinePlan['counts'] };
  stopMs: number;
  stopOutcome: string;
  expectedPods: number;
  expectedConfigMaps: number;
  startToReadyMs: number;
  startToConnectedMs: number;
  connectedToConvergedMs: number;
  startToConvergedMs: number;
  converged: boolean;
  lastDiff: string;
}

export interface ResyncContext {
  client: KubeClient;
  layout: EdgeLayout;
  /** The running edge; replaced by the restarted one. */
  edge: RunningEdge;
  namespace: string;
  otherNodeName: string;
  changes: number;
  timeoutMs: number;
  progress: (text: string) => void;
  signal: AbortSignal;
}

const SEED = { referencedConfigMaps: 50, unreferencedConfigMaps: 10, pods: 100 };

/**
 * Resync after a burst of offline changes: seed configmaps and pods that reference them (edge
 * online), stop the edge (SIGTERM), make `changes` changes in the cloud, start the edge again and
 * time start → connected → converged (edge.db holds exactly the cloud's objects for the node).
 */
export async function runResyncPhase(ctx: ResyncContext): Promise<ResyncFigures> {
  const { client, layout, namespace, progress } = ctx;
  const nodeName = layout.nodeName;
  const seed = seedPlan(nodeName);
  progress(`seeding ${SEED.referencedConfigMaps + SEED.unreferencedConfigMaps} configmaps and ${SEED.pods} pods that reference them`);
  const seeded = await applyOfflineChanges(client, namespace, seed, 8, ctx.signal);
  if (seeded.failures > 0) throw new Error(`seeding failed ${seeded.failures} times: ${seeded.firstFailure ?? ''}`);
  const online = await expectation(client, nodeName);
  const before = await waitUntil(layout, () => online, ['pods'], ctx.timeoutMs, ctx.signal);
  if (!before.converged) throw new Error(`the edge did not take the seeded pods within ${ctx.timeoutMs} ms: ${before.lastDiff}`);
  const configMaps = await detectConfigMapSync(layout, online, ctx.signal);
  progress(`edge in sync before the stop; configmaps ${configMaps}`);

  const stopStarted = performance.now();
  await ctx.edge.child.stop('SIGTERM');
  const stopMs = performance.now() - stopStarted;
  const stopOutcome = await ctx.edge.child.exited;

  const plan = planOfflineChanges({
    total: ctx.changes,
    existingPods: online.podKeys.filter((key) => key.startsWith(`${namespace}/`)).map((key) => key.slice(namespace.length + 1)),
    referencedConfigMaps: names(SEED.referencedConfigMaps, 'seed-cm'),
    unreferencedConfigMaps: names(SEED.unreferencedConfigMaps, 'loose-cm'),
    nodeName,
    otherNodeName: ctx.otherNodeName,
    prefix: 'offline',
  });
  progress(`edge stopped (${stopOutcome}); making ${ctx.changes} changes in the cloud: ${JSON.stringify(plan.counts)}`);
  const applied = await applyOfflineChanges(client, namespace, plan, 8, ctx.signal);
  let expected = await expectation(client, nodeName);
  const kinds: Array<'pods' | 'configMaps'> = configMaps === 'not-synced' ? ['pods'] : ['pods', 'configMaps'];

  progress(`restarting the edge: ${expected.pods.size} pods and ${expected.configMaps.size} referenced configmaps expected`);
  const started = performance.now();
  const edge = await startEdge(layout, ctx.timeoutMs, ctx.signal);
  if (!edge.ok) throw new Error(edge.message);
  ctx.edge = edge.value;
  const ready = performance.now();
  const connected = await waitConnected(layout, edge.value, ctx.timeoutMs, ctx.signal);
  if (!connected.ok) throw new Error(connected.message);
  const connectedAt = performance.now();
  let refreshedAt = connectedAt;
  const outcome = await waitUntil(layout, () => expected, kinds, ctx.timeoutMs, ctx.signal, async () => {
    // The cloud may change the node's pods by itself (node lifecycle); follow it now and then.
    if (performance.now() - refreshedAt < EXPECTATION_REFRESH_MS) return;
    expected = await expectation(client, nodeName);
    refreshedAt = performance.now();
  });
  // Confirm against a fresh read of the cloud: converging to an outdated snapshot is not converging.
  const fresh = await expectation(client, nodeName);
  const confirmed = outcome.converged && (await waitUntil(layout, () => fresh, kinds, 0, ctx.signal)).converged;
  return {
    seededPods: SEED.pods,
    seededConfigMaps: SEED.referencedConfigMaps + SEED.unreferencedConfigMaps,
    configMaps,
    changes: { ...applied, counts: plan.counts },
    stopMs,
    stopOutcome,
    expectedPods: fresh.pods.size,
    expectedConfigMaps: fresh.configMaps.size,
    startToReadyMs: ready - started,
    startToConnectedMs: connectedAt - started,
    connectedToConvergedMs: outcome.at - connectedAt,
    startToConvergedMs: outcome.at - started,
    converged: confirmed,
    lastDiff: outcome.lastDiff,
  };
}

function names(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
}

function seedPlan(nodeName: string): OfflinePlan {
  const referenced = names(SEED.referencedConfigMaps, 'seed-cm');
  const configMapChanges: PlannedChange[] = [...referenced, ...names(SEED.unreferencedConfigMaps, 'loose-cm')].map((name) => ({ op: 'createConfigMap', name }));
  const podChanges: PlannedChange[] = names(SEED.pods, 'seed-pod').map((name, i) => ({
    op: 'createPod',
    name,
    nodeName,
    refs: { env: referenced[i % referenced.length] as string, volume: referenced[(i + 1) % referenced.length] as string },
  }));
  return { configMapChanges, podChanges, counts: { createConfigMap: configMapChanges.length, updateConfigMap: 0, createPod: podChanges.length, relabelPod: 0, deletePod: 0 } };
}

async function expectation(client: KubeClient, nodeName: string): Promise<CloudExpectation> {
  const read = await readCloudExpectation(client, nodeName);
  if (!read.ok) throw new Error(read.message);
  return read.value;
}

interface WaitOutcome {
  converged: boolean;
  /** performance.now() of the poll that saw the edge converged (or of the last poll). */
  at: number;
  lastDiff: string;
}

/** Polls edge.db until it holds exactly what is expected for the given kinds, or the timeout passes (0 = one look); never throws on a timeout. */
async function waitUntil(
  layout: EdgeLayout,
  expected: () => CloudExpectation,
  kinds: ReadonlyArray<'pods' | 'configMaps'>,
  timeoutMs: number,
  signal: AbortSignal,
  between: () => Promise<void> = async () => {},
): Promise<WaitOutcome> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const read = readEdgeInventory(layout.paths.database);
    const at = performance.now();
    let lastDiff = read.ok ? '' : read.message;
    let converged = read.ok;
    if (read.ok) {
      const want = expected();
      const parts = kinds.map((kind) => {
        const diff = diffInventory(want[kind], read.value.get(kind === 'pods' ? POD : CONFIG_MAP) ?? new Map<string, string>());
        converged &&= isConverged(diff);
        return describeDiff(kind, diff);
      });
      lastDiff = parts.join('; ');
    }
    if (converged) return { converged, at, lastDiff };
    if (at >= deadline || signal.aborted) return { converged, at, lastDiff };
    await between();
    await sleep(POLL_MS);
  }
}

/** After the pods converged: give referenced configmaps a moment to arrive, and classify. */
async function detectConfigMapSync(layout: EdgeLayout, online: CloudExpectation, signal: AbortSignal): Promise<ConfigMapSync> {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const read = readEdgeInventory(layout.paths.database);
    if (!read.ok) throw new Error(read.message);
    const held = read.value.get(CONFIG_MAP) ?? new Map<string, string>();
    if (isConverged(diffInventory(online.configMaps, held))) return 'synced';
    if (performance.now() >= deadline || signal.aborted) return held.size === 0 ? 'not-synced' : 'partial';
    await sleep(100);
  }
}
